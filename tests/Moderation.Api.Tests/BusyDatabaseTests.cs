using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// Another process (a backup, a second worker, an admin's sqlite3 shell; on PostgreSQL a session holding table
/// locks) holds the write lock for a second: requests that write wait for it and then succeed; none fails with
/// 'database is locked'.
/// </summary>
public sealed class BusyDatabaseTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A connection outside the service holding the write lock until disposed: SQLite's (BEGIN IMMEDIATE), or on
    /// PostgreSQL an EXCLUSIVE lock on every table (as a long migration or an admin's LOCK TABLE would: writers wait,
    /// plain reads go on).
    /// </summary>
    sealed class WriteLock : IDisposable
    {
        readonly DbConnection connection;
        readonly DbTransaction? transaction;

        public WriteLock(TestApp app)
        {
            if (!TestStores.OnPostgres)
            {
                connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.DatabasePath, Pooling = false }.ToString());
                connection.Open();
                connection.Execute("BEGIN IMMEDIATE");
                return;
            }
            connection = app.OpenStoreAsync().GetAwaiter().GetResult();
            transaction = connection.BeginTransaction();
            var tables = connection.Query<string>(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", transaction: transaction);
            connection.Execute($"LOCK TABLE {string.Join(", ", tables.Select(t => $"\"{t}\""))} IN EXCLUSIVE MODE", transaction: transaction);
        }

        public void Dispose()
        {
            if (transaction is null) connection.Execute("ROLLBACK");
            else transaction.Rollback();
            connection.Dispose();
        }
    }

    [Fact]
    public async Task Writes_wait_for_a_lock_held_by_another_connection_and_then_succeed()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "The bike lanes are a good idea.");
        await admin.WaitScored("c1");

        Task<HttpResponseMessage> report, decision, article;
        List<Task<HttpResponseMessage>> ingests;
        Task all;
        using (new WriteLock(app))
        {
            ingests = Enumerable.Range(2, 6).Select(i => admin.PostComment("a1", $"c{i}", $"Main Street will be safer for my {i} kids.")).ToList();
            report = app.Reader("10.0.0.1").PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = "r1" });
            decision = admin.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" });
            article = admin.PutAsJsonAsync("/api/articles/a2", new { title = "Second", body = Fixtures.BikeLanes });
            all = Task.WhenAll([.. ingests, report, decision, article]);
            // Every write is held up by the lock and none has failed; reads go on (WAL) meanwhile.
            // (How promptly is a measurement, not an assertion: timed checks flake on a busy 2-core machine.
            // docs/RELIABILITY.md has the numbers before and after the writer gate.)
            Assert.NotSame(all, await Task.WhenAny(all, Task.Delay(Hold)));
            Assert.Equal(HttpStatusCode.OK, (await app.Client(key: null).GetAsync("/api/comments/c1/visibility")).StatusCode);
            Assert.False(all.IsCompleted);
        }

        await all;
        foreach (var ingest in ingests) Assert.Equal(HttpStatusCode.Accepted, (await ingest).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await report).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await decision).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await article).StatusCode);
        var c1 = await admin.GetJson("/api/comments/c1");
        Assert.Equal("approved", c1.GetProperty("status").GetString());
        Assert.Equal(1, c1.GetProperty("reports").GetProperty("count").GetInt32());
        Assert.NotEqual("received", (await admin.WaitScored("c7")).GetProperty("status").GetString());
    }

    /// <summary>
    /// A write that loses to concurrent writers on every one of its tries (on PostgreSQL, a serialization failure 20
    /// times; here a trigger that always answers with one) is a 503 with Retry-After, not a 500, and leaves nothing
    /// behind; sent again once the contention is gone, it succeeds.
    /// </summary>
    [PostgresOnlyFact]
    public async Task A_write_that_keeps_losing_to_other_writers_is_503_with_Retry_After_and_stores_nothing()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "The bike lanes are a good idea.");
        await admin.WaitScored("c1");
        Assert.Equal(HttpStatusCode.Accepted, (await app.Reader("10.0.0.1").PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = "r1" })).StatusCode);
        var before = (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString();
        var audit = await app.ScalarAsync("SELECT count(*) FROM audit WHERE comment_id = 'c1'");
        await using (var c = await app.OpenStoreAsync())
            await c.ExecuteAsync("""
                CREATE FUNCTION test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.comment_id = 'c1' THEN RAISE EXCEPTION 'a concurrent write won' USING ERRCODE = '40001'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER test_conflict BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION test_conflict();
                """);

        var refused = await admin.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject" });
        await refused.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(Moderation.Api.Errors.StoreBusyProblems.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(before, (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString());
        Assert.Equal(audit, await app.ScalarAsync("SELECT count(*) FROM audit WHERE comment_id = 'c1'"));

        await using (var c = await app.OpenStoreAsync())
            await c.ExecuteAsync("DROP TRIGGER test_conflict ON audit; DROP FUNCTION test_conflict()");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject" })).StatusCode);
        Assert.Equal("rejected", (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString());
    }
}
