using Dapper;

namespace Moderation.Storage.Tests;

/// <summary>The service's WAL checkpoints off the write path (Database, BackgroundCheckpoints).</summary>
public sealed class CheckpointTests : IAsyncDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "moderation-checkpoint-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// The WAL header's salt-1 (bytes 16–19, big-endian): SQLite adds 1 each time a writer starts the log over (the
    /// checkpoint sequence number beside it is counted per connection, so it is no count with pooled connections).
    /// </summary>
    static uint RestartCount(string path)
    {
        using var wal = new FileStream(path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[20];
        wal.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
    }

    [Fact]
    public async Task While_a_writer_writes_without_pause_the_log_is_copied_into_the_file_and_started_over()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "moderation.db");
        // Restart past 32 frames, checked every 20 ms.
        await using var db = new Database(path, new BackgroundCheckpoints(TimeSpan.FromMilliseconds(20), 32));
        await new Migrator(db).MigrateAsync();
        // Held open for the test: SQLite deletes the log when the last connection closes, and other tests clear the pools.
        await using var keep = await db.OpenAsync();
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");   // the migrations' log out of the way
        var payload = new string('x', 3000);   // about a page a row
        await db.InTransactionAsync(async (c, tx) => await c.ExecuteAsync("INSERT INTO meta (key, value) VALUES ('first', 'x')", transaction: tx));
        var first = RestartCount(path);

        // One writer, transaction after transaction (as the worker draining a backlog: a batch every few ms), at most
        // 1,000 rows (a few thousand frames: below the connections' own auto-checkpoint at 16,384, so only the loop can
        // have the log started over) or 10 s, until the log restarted 3 times. (That a PASSIVE checkpoint alone lets a
        // log under non-stop writes grow to gigabytes was seen under load, not here: see Database.)
        var rows = 0;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); rows < 1000 && clock.Elapsed < TimeSpan.FromSeconds(10) && RestartCount(path) - first < 3; rows++)
        {
            var key = $"k{rows}";
            await db.InTransactionAsync(async (c, tx) =>
                await c.ExecuteAsync("INSERT INTO meta (key, value) VALUES (@key, @payload)", new { key, payload }, tx));
            if (rows % 2 == 1) await Task.Delay(2);   // SQLite's calls are synchronous: without a pause this loop never lets the timer's thread in
        }
        Assert.True(RestartCount(path) - first >= 3, $"the log was started over {RestartCount(path) - first} times in {rows} transactions");
        await using var read = await db.OpenAsync();
        Assert.Equal(rows, await read.ExecuteScalarAsync<long>("SELECT count(*) FROM meta WHERE key LIKE 'k%'"));
    }
}
