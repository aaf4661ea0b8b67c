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
}
