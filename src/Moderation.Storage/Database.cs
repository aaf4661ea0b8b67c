using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Moderation.Storage;

/// <summary>
/// The one place that opens connections and decides how times are stored.
/// Every connection runs in WAL mode with a busy timeout, so readers never block the worker's writes
/// and a briefly locked database is waited for rather than reported as an error.
/// </summary>
public sealed class Database
{
    readonly string connectionString;

    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// A pooled connection, set up for this service. Its page cache is 8 MB (SQLite's default is 2 MB): a queue page of
    /// 200 entries at 1M rows touches ~500 pages (each entry's leaf and the interior pages above it), a console paging
    /// back and forth twice that; with less, every request read them again from the OS (at 4 MB: p50 2.1 ms instead of
    /// 1.3 ms, docs/PERFORMANCE.md). The cache fills only as far as a connection reads. In WAL mode a connection drops
    /// its cache when another one committed since its last read, so under a busy worker this helps less.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8000;", cancellationToken: ct));
        return connection;
    }

    /// <summary>
    /// SQLite has one writer at a time, and its busy wait blocks the calling thread (busy_timeout, then
    /// Microsoft.Data.Sqlite's own retries up to the command timeout). Writers in this process queue here
    /// without a thread, so a lock held elsewhere (another process, a backup) blocks one thread, not one per
    /// request: with a thread per waiting request the thread pool starves and even reads and /health stall.
    /// </summary>
    readonly SemaphoreSlim writeGate = new(1, 1);

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction (the write lock is taken up front, so no deadlock on upgrade).</summary>
    public async Task<T> InTransactionAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>
    /// The same, on a connection the caller keeps open (from <see cref="OpenAsync"/>), so a writer that runs
    /// often can keep its prepared statements (the report writer: Reports/ReportRepository.cs).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(SqliteConnection connection, Func<SqliteTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await writeGate.WaitAsync(ct);
        try
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var result = await work(tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateTimeOffset? ParseTimeOrNull(string? s) => s is null ? null : ParseTime(s);
}
