using System.Net;
using System.Net.Http.Json;
using Dapper;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// Reports arriving together are written in groups (one transaction; on SQLite a savepoint each, on PostgreSQL the reads
/// of consecutive reports on different comments in one round trip: Storage/Reports/ReportWriter.cs). These send many at
/// once, interleaved over several comments, so groups and waves form, and check that each report still counts exactly
/// as if it came alone.
/// </summary>
public sealed class ReportGroupTests : IDisposable
{
    // The webhook below points at loopback, which webhooks may only reach when allowed.
    readonly TestApp app = new(new() { ["Moderation:Reports:PerMinute"] = "100000", ["Moderation:Webhooks:AllowPrivate"] = "true" });
    public void Dispose() => app.Dispose();

    async Task<HttpClient> Published(params string[] ids)
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        // A subscribed webhook, so status changes write outbox rows.
        (await admin.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/hook" })).EnsureSuccessStatusCode();
        foreach (var id in ids) await admin.PostComment("a1", id, "The bike lanes on Main Street should have been built years ago, says " + id);
        foreach (var id in ids) Assert.Equal("published", (await admin.WaitScored(id)).GetProperty("status").GetString());
        return admin;
    }

    /// <summary>Reporter <paramref name="reporterId"/> from its own address (distinct readers), derived from <paramref name="n"/>.</summary>
    Task<HttpResponseMessage> Report(string commentId, string reporterId, int n, string reason = "spam") =>
        app.Reader($"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256 + 1}").PostAsJsonAsync($"/api/comments/{commentId}/reports", new { reason, reporterId });

    Task<long> Scalar(string sql) => app.ScalarAsync(sql);

    Task<long> Audit(string commentId, string after) =>
        app.ScalarAsync("SELECT count(*) FROM audit WHERE comment_id = @c AND action = 'reported' AND status_after = @a", new { c = commentId, a = after });

    /// <summary>Outbox rows of <paramref name="evt"/> about <paramref name="commentId"/> (the payload is JSON text on both engines).</summary>
    async Task<long> Outbox(string commentId, string evt)
    {
        await using var c = await app.OpenStoreAsync();
        var payloads = await c.QueryAsync<string>("SELECT payload FROM webhook_outbox WHERE event = @e", new { e = evt });
        return payloads.Count(p => System.Text.Json.JsonDocument.Parse(p).RootElement.TryGetProperty("commentId", out var id) && id.GetString() == commentId);
    }

    /// <summary>Makes writing the audit row of comment "poisoned" fail (a trigger), or stops that.</summary>
    async Task Poison(bool on)
    {
        await using var c = await app.OpenStoreAsync();
        var postgres = TestStores.OnPostgres;
        await c.ExecuteAsync((on, postgres) switch
        {
            (true, false) => """
                CREATE TRIGGER test_poison BEFORE INSERT ON audit WHEN new.comment_id = 'poisoned'
                BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END;
                """,
            (true, true) => """
                CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.comment_id = 'poisoned' THEN RAISE EXCEPTION 'poisoned for the test'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER test_poison BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION test_poison();
                """,
            (false, false) => "DROP TRIGGER test_poison",
            (false, true) => "DROP TRIGGER test_poison ON audit; DROP FUNCTION test_poison()",
        });
    }

    [Fact]
    public async Task Many_concurrent_reports_on_the_same_and_different_comments_each_count_once_and_hide_once()
    {
        var admin = await Published("c1", "c2", "c3");
        // c1: 40 reporters, each sending twice at once; c2: 2 reporters (weight 2 < 3: pending, not hidden); c3: 10 reporters.
        var sends = new List<(string Comment, string Reporter, int N)>();
        for (var i = 0; i < 40; i++) { sends.Add(("c1", $"r{i}", i)); sends.Add(("c1", $"r{i}", i)); }
        for (var i = 0; i < 2; i++) sends.Add(("c2", $"s{i}", 100 + i));
        for (var i = 0; i < 10; i++) sends.Add(("c3", $"t{i}", 200 + i));
        var responses = await Task.WhenAll(sends.Select(s => Report(s.Comment, s.Reporter, s.N)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var counted = await Task.WhenAll(responses.Select(async r => (await r.Json()).GetProperty("counted").GetBoolean()));
        Assert.Equal(40 + 2 + 10, counted.Count(c => c));   // of each twice-sent pair exactly one counted

        Assert.Equal(40, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c1'"));
        Assert.Equal(2, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c2'"));
        Assert.Equal(10, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c3'"));
        foreach (var (id, status, count) in new[] { ("c1", "hidden", 40), ("c2", "pending", 2), ("c3", "hidden", 10) })
        {
            var comment = await admin.GetJson($"/api/comments/{id}");
            Assert.Equal(status, comment.GetProperty("status").GetString());
            Assert.Equal(count, comment.GetProperty("reports").GetProperty("count").GetInt32());
        }
        // Each status change exactly once: published → pending, then pending → hidden; one outbox row per event.
        foreach (var id in new[] { "c1", "c3" })
        {
            Assert.Equal(1, await Audit(id, "pending"));
            Assert.Equal(1, await Audit(id, "hidden"));
            Assert.Equal(1, await Outbox(id, "comment.flagged"));
            Assert.Equal(1, await Outbox(id, "comment.hidden"));
        }
        Assert.Equal(1, await Audit("c2", "pending"));
        Assert.Equal(0, await Audit("c2", "hidden"));
        Assert.Equal(0, await Outbox("c2", "comment.hidden"));

        // The queue entry carries the final tally.
        var items = (await admin.GetJson("/api/queue?reason=reader_reports")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("commentId").GetString()!, i => i.GetProperty("reportCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["c1"] = 40, ["c2"] = 2, ["c3"] = 10 }, items);
    }

    [Fact]
    public async Task An_unknown_comment_in_a_group_is_404_and_the_others_are_stored()
    {
        await Published("c1");
        var sends = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? Report("ghost", $"g{i}", i) : Report("c1", $"r{i}", i));
        var responses = await Task.WhenAll(sends);
        for (var i = 0; i < 30; i++)
            Assert.Equal(i % 3 == 0 ? HttpStatusCode.NotFound : HttpStatusCode.Accepted, responses[i].StatusCode);
        await responses[0].AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(20, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c1'"));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'ghost'"));
    }

    [Fact]
    public async Task A_report_that_fails_midway_in_a_group_is_rolled_back_alone_and_reports_keep_working()
    {
        var admin = await Published("c1", "poisoned");
        // Writing the audit row of "poisoned" fails: by then its report row, queue entry and status change were written.
        await Poison(on: true);
        var sends = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? Report("poisoned", $"p{i}", i) : Report("c1", $"r{i}", i));
        var responses = await Task.WhenAll(sends);

        for (var i = 0; i < 40; i++)
            Assert.Equal(i % 4 == 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.Accepted, responses[i].StatusCode);
        Assert.Equal(30, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c1'"));
        Assert.Equal("hidden", (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString());
        // Nothing of the failed reports stayed: no report row, no queue entry, the status unchanged.
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'poisoned'"));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM queue WHERE comment_id = 'poisoned'"));
        Assert.Equal("published", (await admin.GetJson("/api/comments/poisoned")).GetProperty("status").GetString());

        // After the failures, reports are written as before, alone and in groups.
        await Poison(on: false);
        Assert.Equal(HttpStatusCode.Accepted, (await Report("poisoned", "late0", 1000)).StatusCode);
        var later = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Report(i % 2 == 0 ? "poisoned" : "c1", $"late{i}", 1000 + i)));
        Assert.All(later, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(11, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'poisoned'"));
        Assert.Equal(40, await Scalar("SELECT count(*) FROM reports WHERE comment_id = 'c1'"));
        var poisoned = await admin.GetJson("/api/comments/poisoned");
        Assert.Equal("hidden", poisoned.GetProperty("status").GetString());
        Assert.Equal(1, await Audit("poisoned", "hidden"));
        // The tally the writer stored counts the 11 stored reports, none of the rolled-back ones (it keeps tallies
        // between reports: Storage/Reports/TallyCache.cs).
        var reported = poisoned.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "reader_reports");
        Assert.Equal(11, reported.GetProperty("detail").GetProperty("count").GetInt32());
    }
}
