using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Moderation.Api.Tests.Infrastructure;
using Moderation.Worker;

namespace Moderation.Api.Tests.Operations;

/// <summary>GET /health/ready: 200 while the service does its job, 503 with the reason when it does not.</summary>
public sealed class ReadinessTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_running_service_with_an_idle_worker_is_ready()
    {
        using var app = new TestApp();
        var client = app.Client(null);
        await app.Client().PutArticle("a1");
        await app.Client().PostComment("a1", "c1", "Protected lanes will make Main Street safer.");
        await app.Client().WaitScored("c1");

        var ready = await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK);
        var body = await ready.Json();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_stopped_worker_makes_the_service_not_ready()
    {
        using var app = new TestApp();
        var client = app.Client(null);
        await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK);

        var worker = app.Services.GetServices<IHostedService>().OfType<ScoringWorker>().Single();
        await worker.StopAsync(CancellationToken.None);

        var response = await client.GetAsync("/health/ready");
        await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("the worker is not running", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_comment_left_unscored_past_the_limit_makes_the_service_not_ready()
    {
        var clock = new FakeTimeProvider(Start);
        using var app = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false", ["Moderation:Readiness:MaxUnscoredAge"] = "00:05:00" }, clock);
        var client = app.Client(null);
        await app.Client().PutArticle("a1");
        await app.Client().PostComment("a1", "c1", "Nobody scores this one: the worker runs elsewhere and is down.");

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(2));
        var response = await client.GetAsync("/health/ready");
        await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
        var body = await response.Json();
        Assert.Contains("oldest unscored comment has waited 6.0 min", body.GetProperty("detail").GetString());
        Assert.Equal(360, body.GetProperty("checks").GetProperty("oldestUnscoredSeconds").GetDouble());
    }

    /// <summary>Holds SQLite's write lock from another connection; PostgreSQL has no lock a worker waits on like it.</summary>
    [SqliteFact]
    public async Task A_worker_stuck_in_a_batch_past_the_limit_is_reported_stalled_and_recovers()
    {
        var clock = new FakeTimeProvider(Start);
        using var app = new TestApp(new() { ["Moderation:Readiness:MaxWorkerStall"] = "00:02:00", ["Moderation:Readiness:MaxUnscoredAge"] = "01:00:00" }, clock);
        var client = app.Client(null);
        await app.Client().PutArticle("a1");
        await app.Client().PostComment("a1", "c1", "Protected lanes will make Main Street safer.");
        await app.Client().WaitScored("c1");
        await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK && State(r) == "idle");

        // A comment the worker is not woken for (another process wrote it), then a write lock it cannot get.
        await using var blocker = new SqliteConnection($"Data Source={app.DatabasePath}");
        await blocker.OpenAsync();
        await Exec(blocker, $"""
            INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at)
            VALUES ('c2', 'a1', 'Written by another process.', 'received', '{Moderation.Storage.Database.Time(clock.GetUtcNow())}', '{Moderation.Storage.Database.Time(clock.GetUtcNow())}')
            """);
        await Exec(blocker, "BEGIN IMMEDIATE");
        try
        {
            AdvanceBeside(clock, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerOptions>>().Value.PollInterval);
            await WaitFor(client, r => State(r) == "busy");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            AdvanceBeside(clock, TimeSpan.FromMinutes(3));
            var response = await client.GetAsync("/health/ready");
            await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("the worker is stalled: no batch finished for 3.0 min", await response.Content.ReadAsStringAsync());
        }
        finally { await Exec(blocker, "ROLLBACK"); }

        await app.Client().WaitScored("c2");
        await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Failing_batches_in_a_row_make_the_service_not_ready_until_one_succeeds()
    {
        using var app = new TestApp(new() { ["Moderation:Readiness:MaxFailuresInRow"] = "3" });
        var client = app.Client(null);
        await app.Client().PutArticle("a1");
        await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK);

        // Every claim now fails (its query reads this table): a broken schema, a full disk, a corrupt page.
        await using var db = await app.OpenStoreAsync();
        await Exec(db, "ALTER TABLE decided_texts RENAME TO decided_texts_away");

        var failing = await WaitFor(client, r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Matches("the worker failed [0-9]+ times in a row \\(last: (SqliteException|PostgresException); limit 3\\)", await failing.Content.ReadAsStringAsync());

        await Exec(db, "ALTER TABLE decided_texts_away RENAME TO decided_texts");
        await WaitFor(client, r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// Moves the clock on another thread: a fake clock runs the timers' continuations inline, and the worker woken here
    /// blocks on the held lock. The new time is set before any continuation runs, so it is visible at once.
    /// </summary>
    static void AdvanceBeside(FakeTimeProvider clock, TimeSpan by)
    {
        var target = clock.GetUtcNow() + by;
        _ = Task.Run(() => clock.Advance(by));
        SpinWait.SpinUntil(() => clock.GetUtcNow() >= target);
    }

    static string? State(HttpResponseMessage r)
    {
        var body = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var checks = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("checks");
        return checks.GetProperty("worker").ValueKind == System.Text.Json.JsonValueKind.Object
            ? checks.GetProperty("worker").GetProperty("state").GetString() : null;
    }

    static async Task Exec(System.Data.Common.DbConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Asks /health/ready until the answer satisfies <paramref name="done"/> (the worker moves on its own thread).</summary>
    static async Task<HttpResponseMessage> WaitFor(HttpClient client, Func<HttpResponseMessage, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            await response.Content.LoadIntoBufferAsync();
            if (done(response)) return response;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"readiness never matched; last: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(20);
        }
    }
}
