using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Moderation.Storage;

/// <summary>How the service checkpoints its WAL off the write path (see <see cref="Database"/>).</summary>
/// <param name="Interval">How often a PASSIVE checkpoint copies the log into the database file.</param>
/// <param name="RestartAfterFrames">A log this long is restarted (next writer starts it from the beginning) under the write gate.</param>
public sealed record BackgroundCheckpoints(TimeSpan Interval, int RestartAfterFrames)
{
    /// <summary>Every 250 ms; restart past 8,192 frames (32 MB of 4 KB pages).</summary>
    public static readonly BackgroundCheckpoints Default = new(TimeSpan.FromMilliseconds(250), 8192);
}

/// <summary>
/// When SQLite waits for the disk (<c>PRAGMA synchronous</c>, bound from <c>Moderation:Storage:Synchronous</c>).
/// <see cref="Full"/> (the default) syncs the WAL at every commit, so what the service acknowledged (a 202 for a
/// comment, a 200 for a decision) survives a power cut or kernel crash. <see cref="Normal"/> syncs only at checkpoints:
/// still safe against the process crashing, but the last commits can be lost when the machine goes down
/// (docs/RELIABILITY.md); cheaper per commit (docs/PERFORMANCE.md, "Durability").
/// </summary>
public enum SynchronousMode { Full, Normal }

/// <summary>
/// The one place that opens connections and decides how times are stored.
/// Every connection runs in WAL mode with a busy timeout, so readers never block the worker's writes
/// and a briefly locked database is waited for rather than reported as an error.
/// <para>
/// Checkpoints: by default SQLite copies the log into the database file inside the commit that grows the log past
/// 1,000 pages, so the worker's batch write (one writer at a time) also did that copy and its fsync. With
/// <see cref="BackgroundCheckpoints"/> (the service), a loop on its own connection does PASSIVE checkpoints beside
/// the writers instead, and restarts the log under the write gate when it grew long (a PASSIVE checkpoint alone never
/// lets the log start over while writers keep appending: it grew to gigabytes). Connections then auto-checkpoint only
/// past 16,384 pages, a safety net should the loop stall (its errors are retried, not logged). Draining 100,000
/// comments without embeddings: 5,225–5,359 → 6,089–6,624 comments/s (docs/PERFORMANCE.md). Tools and tests that open the file without the service keep
/// SQLite's default.
/// </para>
/// </summary>
public sealed class Database : IAsyncDisposable
{
    readonly string connectionString;
    readonly BackgroundCheckpoints? checkpoints;
    readonly string pragmas;
    readonly CancellationTokenSource stopCheckpoints = new();
    readonly Lock startLock = new();
    Task? checkpointLoop;

    public Database(string path, BackgroundCheckpoints? checkpoints = null, SynchronousMode synchronous = SynchronousMode.Full)
    {
        this.checkpoints = checkpoints;
        Synchronous = synchronous;
        var sync = synchronous == SynchronousMode.Normal ? "NORMAL" : "FULL";
        pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {sync}; PRAGMA cache_size = -8000;"
            + (checkpoints is null ? "" : " PRAGMA wal_autocheckpoint = 16384;");
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

    public SynchronousMode Synchronous { get; }

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
        await connection.ExecuteAsync(new CommandDefinition(pragmas, cancellationToken: ct));
        if (checkpoints is not null && checkpointLoop is null)
            lock (startLock) checkpointLoop ??= Task.Run(() => CheckpointLoopAsync(checkpoints, stopCheckpoints.Token));
        return connection;
    }

    /// <summary>
    /// A connection for writes no client was promised (the worker's leases): it commits with <c>synchronous=NORMAL</c>
    /// whatever <see cref="Synchronous"/> says, so such a write costs no sync of its own; the next FULL commit or
    /// checkpoint syncs it along (WAL frames are synced in order). A power cut may lose it, which for a lease only means
    /// the comments are claimable again. Draining a backlog, this halves the worker's syncs (docs/PERFORMANCE.md,
    /// "Durability"). Every <see cref="OpenAsync"/> sets the mode again, so the pooled connection does not keep it.
    /// </summary>
    public async Task<SqliteConnection> OpenUnsyncedAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = NORMAL", cancellationToken: ct));
        return connection;
    }

    async Task CheckpointLoopAsync(BackgroundCheckpoints policy, CancellationToken stop)
    {
        SqliteConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(policy.Interval, stop);
                try
                {
                    if (connection is null)
                    {
                        connection = await OpenAsync(stop);
                        // RESTART waits for readers while holding the write gate: give up quickly and retry next time.
                        await connection.ExecuteAsync("PRAGMA busy_timeout = 200");
                    }
                    var frames = Checkpoint(connection, "PASSIVE");
                    if (frames < policy.RestartAfterFrames) continue;
                    await writeGate.WaitAsync(stop);
                    try { Checkpoint(connection, "RESTART"); }
                    finally { writeGate.Release(); }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or failing checkpoint is tried again next time; the connections' own auto-checkpoint is the safety net.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally { connection?.Dispose(); }
    }

    /// <summary>Runs one checkpoint; returns the frames in the log (<c>PRAGMA wal_checkpoint</c>'s second column).</summary>
    static long Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    /// <summary>Stops the checkpoint loop (the service's container disposes the database after the repositories).</summary>
    public async ValueTask DisposeAsync()
    {
        await stopCheckpoints.CancelAsync();
        Task? loop;
        lock (startLock) loop = checkpointLoop;
        if (loop is not null) await loop;
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
    /// often can keep its prepared statements (the report writer: Reports/ReportWriter.cs).
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

    /// <summary>
    /// Copies the whole log into the database file and truncates the log to zero bytes, under the write gate so no
    /// writer of this process appends meanwhile. After an erasure this removes the old pages that still held the erased
    /// text from the -wal file (SQLite otherwise reuses the file from its start and leaves old frames behind). Returns
    /// false when a reader (or another process) kept it from finishing within the busy timeout; the data is then safe
    /// but the old frames stay until the next truncation.
    /// </summary>
    public Task<bool> TruncateLogAsync(CancellationToken ct = default) => UnderWriteGateAsync(vacuum: false, ct);

    /// <summary>
    /// VACUUM (rebuilds the file: no free page or leftover cell keeps old bytes, such as a comment's text from before an
    /// edit), then the truncation of <see cref="TruncateLogAsync"/>. Writers of this process wait meanwhile; on a large
    /// database this takes a while (docs/OPERATIONS.md).
    /// </summary>
    public Task<bool> VacuumAsync(CancellationToken ct = default) => UnderWriteGateAsync(vacuum: true, ct);

    async Task<bool> UnderWriteGateAsync(bool vacuum, CancellationToken ct)
    {
        await writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            if (vacuum) await connection.ExecuteAsync(new CommandDefinition("VACUUM", cancellationToken: ct));
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = command.ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == 0;
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
