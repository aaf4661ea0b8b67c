using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

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

/// <summary>The engine behind <see cref="Database"/> (<c>Moderation:Storage:Provider</c>): the embedded SQLite file, or a PostgreSQL server.</summary>
public enum StorageProvider { Sqlite, Postgres }

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
/// <para>
/// PostgreSQL (<see cref="ForPostgres"/>): the same SQL runs on both engines (docs/SCALING.md says which constructs
/// that allows). Every transaction there runs SERIALIZABLE, which is what SQLite's single writer gives the repositories
/// for free, and is run again when the server aborts it as a serialization failure or deadlock: the work given to
/// <see cref="InTransactionAsync{T}(Func{IDbConnection, IDbTransaction, Task{T}}, CancellationToken)"/> must
/// therefore only touch the database (or start over what it collects). No write gate, no checkpoints: the server
/// does both.
/// </para>
/// </summary>
public sealed class Database : IAsyncDisposable
{
    readonly string connectionString;
    readonly NpgsqlDataSource? postgres;
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

    /// <summary>
    /// Builds the PostgreSQL store. <paramref name="dataFolderPath"/> is <c>Moderation:Database</c> as on SQLite: the file
    /// is not used, but its folder still holds what lives beside the database (the bootstrap admin key, the pseudonym
    /// key); give every replica the same keys in configuration instead (docs/SCALING.md).
    /// </summary>
    public static Database ForPostgres(string connectionString, string dataFolderPath)
    {
        // Statements run often are prepared on the server after their second run (Dapper's as well as ours), so the
        // hot loops skip parsing and planning as they do on SQLite (PreparedCommand). Unless the string says otherwise.
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Auto Prepare", "AutoPrepare"))
        {
            b.MaxAutoPrepare = 200;
            b.AutoPrepareMinUsages = 2;
        }
        // A pooled connection goes back as it came: no statement here changes session state (SET, temp tables, cursors;
        // table locks end with their transaction), and the two that do, LISTEN and the migration's advisory lock, run on a
        // connection of their own (OpenSessionAsync). Without this, Npgsql resets every connection taken from the pool
        // with seven statements (RESET ALL, DISCARD …, pg_advisory_unlock_all()): server work on every request
        // (pg_stat_statements: as many calls as every other statement together). Unless the string says otherwise.
        if (!Names(connectionString, "No Reset On Close", "NoResetOnClose"))
            b.NoResetOnClose = true;
        return new(new NpgsqlDataSourceBuilder(b.ConnectionString).Build(), b.ConnectionString, dataFolderPath);
    }

    /// <summary>Whether the operator's connection string sets this option (under either of its spellings): theirs wins.</summary>
    static bool Names(string connectionString, params string[] spellings) =>
        spellings.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    Database(NpgsqlDataSource source, string connectionString, string dataFolderPath)
    {
        postgres = source;
        Provider = StorageProvider.Postgres;
        Path = System.IO.Path.GetFullPath(dataFolderPath);
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        this.connectionString = connectionString;   // with its password: the data source's own string drops it
        display = $"PostgreSQL database '{b.Database}' on {b.Host}:{b.Port} as '{b.Username}'";
        pragmas = "";
    }

    public StorageProvider Provider { get; } = StorageProvider.Sqlite;

    public bool IsPostgres => Provider == StorageProvider.Postgres;

    /// <summary>The SQLite file; on PostgreSQL, the configured path whose folder holds the key files (see <see cref="ForPostgres"/>).</summary>
    public string Path { get; }

    /// <summary>Where the data is, for messages: the file path, or the server, database and user (never the password).</summary>
    public string Display => display ?? $"SQLite database '{Path}'";
    string? display;

    /// <summary>One string per store, for caches shared by every <see cref="Database"/> over the same data.</summary>
    public string Identity => IsPostgres ? connectionString : Path;

    public SynchronousMode Synchronous { get; }

    /// <summary>
    /// A pooled connection, set up for this service. Its page cache is 8 MB (SQLite's default is 2 MB): a queue page of
    /// 200 entries at 1M rows touches ~500 pages (each entry's leaf and the interior pages above it), a console paging
    /// back and forth twice that; with less, every request read them again from the OS (at 4 MB: p50 2.1 ms instead of
    /// 1.3 ms, docs/PERFORMANCE.md). The cache fills only as far as a connection reads. In WAL mode a connection drops
    /// its cache when another one committed since its last read, so under a busy worker this helps less.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (postgres is not null) return await postgres.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(pragmas, cancellationToken: ct));
        if (checkpoints is not null && checkpointLoop is null)
            lock (startLock) checkpointLoop ??= Task.Run(() => CheckpointLoopAsync(checkpoints, stopCheckpoints.Token));
        return connection;
    }

    /// <summary>
    /// A connection for session state (LISTEN, an advisory lock) that must not outlive its user: on PostgreSQL a connection
    /// of its own, outside the pool, closed for good when disposed (pooled connections are not reset, see
    /// <see cref="ForPostgres"/>); on SQLite an ordinary one.
    /// </summary>
    public async Task<DbConnection> OpenSessionAsync(CancellationToken ct = default)
    {
        if (postgres is null) return await OpenAsync(ct);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try { await connection.OpenAsync(ct); }
        catch { await connection.DisposeAsync(); throw; }
        return connection;
    }

    /// <summary>
    /// A connection for writes no client was promised (the worker's leases): it commits with <c>synchronous=NORMAL</c>
    /// whatever <see cref="Synchronous"/> says, so such a write costs no sync of its own; the next FULL commit or
    /// checkpoint syncs it along (WAL frames are synced in order). A power cut may lose it, which for a lease only means
    /// the comments are claimable again. Draining a backlog, this halves the worker's syncs (docs/PERFORMANCE.md,
    /// "Durability"). Every <see cref="OpenAsync"/> sets the mode again, so the pooled connection does not keep it.
    /// </summary>
    /// On PostgreSQL the connection is an ordinary one (the server's own commit settings apply).
    public async Task<DbConnection> OpenUnsyncedAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        if (IsPostgres) return connection;
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = NORMAL", cancellationToken: ct));
        return connection;
    }

    async Task CheckpointLoopAsync(BackgroundCheckpoints policy, CancellationToken stop)
    {
        DbConnection? connection = null;
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
    static long Checkpoint(DbConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    /// <summary>Stops the checkpoint loop (the service's container disposes the database after the repositories).</summary>
    public async ValueTask DisposeAsync()
    {
        if (postgres is not null) await postgres.DisposeAsync();
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
    /// <param name="postgresIsolation">
    /// PostgreSQL only: READ COMMITTED for the worker's batch writes, whose every write is conditional on the row it
    /// changes (text version, status) and which take <see cref="Sql.ShareReportCounterSql"/> against report groups and
    /// decisions; as SERIALIZABLE, a large batch lost to the stream of small ingest transactions twenty times in a row.
    /// </param>
    public async Task<T> InTransactionAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken ct = default,
        IsolationLevel postgresIsolation = IsolationLevel.Serializable)
    {
        if (IsPostgres)
            return await RetriedAsync(async () =>
            {
                await using var connection = await OpenAsync(ct);
                return await CommittedAsync(connection, postgresIsolation, tx => work(connection, tx), ct);
            }, ct);
        await writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            return await CommittedAsync(connection, IsolationLevel.Serializable, tx => work(connection, tx), ct);
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
    public async Task<T> InTransactionAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        if (IsPostgres) return await RetriedAsync(() => CommittedAsync(connection, IsolationLevel.Serializable, work, ct), ct);
        await writeGate.WaitAsync(ct);
        try
        {
            return await CommittedAsync(connection, IsolationLevel.Serializable, work, ct);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>One transaction on <paramref name="connection"/>: begun, <paramref name="work"/>, committed (rolled back if it throws).</summary>
    static async Task<T> CommittedAsync<T>(DbConnection connection, IsolationLevel isolation, Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(isolation, ct);
        var result = await work(tx);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// A transaction that lost a race on PostgreSQL (serialization failure, deadlock) is rolled back by the server and
    /// run again from the start, after a random pause so the racers spread out; SQLite's single writer never
    /// needs this. After <see cref="MaxAttempts"/> tries the failure goes to the caller.
    /// The pause doubles with each try (up to 320 ms): with pauses of a few ms, 16 concurrent ingests beside three
    /// workers' batches on a busy machine lost 20 races in a row and answered 500 (PostgresScaleOutTests).
    /// </summary>
    async Task<T> RetriedAsync<T>(Func<Task<T>> attempt, CancellationToken ct)
    {
        for (var tries = 1; ; tries++)
        {
            try { return await attempt(); }
            catch (Exception e) when (MustRetry(e) && tries < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(1, 5 << Math.Min(tries, 6)), ct);
            }
        }
    }

    const int MaxAttempts = 20;

    /// <summary>True for PostgreSQL's "run the transaction again" errors; such an error must reach the retry, not be handled as the statement's own.</summary>
    public static bool MustRetry(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    /// <summary>
    /// True when a write failed only because others held the database longer than it waits: PostgreSQL's retry errors
    /// after the last try, SQLite's SQLITE_BUSY / SQLITE_LOCKED after the busy timeout. The transaction rolled back;
    /// the same write later will most likely succeed (the API answers 503 with Retry-After).
    /// </summary>
    public static bool IsBusy(Exception e) =>
        MustRetry(e) || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 };

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
        if (IsPostgres)
        {
            // The server recycles its own log; VACUUM frees the dead row versions that still hold old text.
            if (!vacuum) return true;
            await using var c = await OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition("VACUUM", cancellationToken: ct));
            return true;
        }
        await writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            if (vacuum) await connection.ExecuteAsync(new CommandDefinition("VACUUM", cancellationToken: ct));
            // A checkpoint already running (the background loop's PASSIVE one, every 250 ms) makes this one answer busy at
            // once, without waiting: the truncation failed now and then on a busy machine and left the erased text in
            // the log. Tried again for up to a second; writers of this process wait meanwhile.
            for (var attempt = 1; ; attempt++)
            {
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                    using var reader = command.ExecuteReader();
                    if (reader.Read() && reader.GetInt64(0) == 0) return true;
                }
                if (attempt == 20) return false;
                await Task.Delay(50, ct);
            }
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
