using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>Undo, bulk decisions, stats and the public article: what the console and the demo page use.</summary>
public sealed class WorkflowTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    async Task<HttpClient> Flagged(HttpClient client, string articleId, params string[] ids)
    {
        await client.PutArticle(articleId);
        foreach (var id in ids) await client.PostComment(articleId, id, $"This is shit, says {id}");
        foreach (var id in ids) await client.WaitScored(id);
        return client;
    }

    [Fact]
    public async Task A_moderator_can_undo_their_own_decision_and_the_comment_returns_to_the_queue()
    {
        var moderator = app.Client(await app.KeyFor("moderator"));
        await Flagged(app.Client(), "a1", "c1");
        var statusBefore = (await moderator.GetJson("/api/comments/c1")).GetProperty("status").GetString();
        await moderator.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", reasonCode = "offensive" });

        var undo = await moderator.PostAsync("/api/queue/c1/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.Equal(statusBefore, (await undo.Json()).GetProperty("status").GetString());
        Assert.Single((await moderator.GetJson("/api/queue")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Another_moderator_cannot_undo_a_decision_and_nobody_can_after_the_window()
    {
        var m1 = app.Client(await app.KeyFor("moderator"));
        var m2 = app.Client(await app.KeyFor("moderator"));
        await Flagged(app.Client(), "a1", "c1");
        await m1.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" });
        await (await m2.PostAsync("/api/queue/c1/undo", null)).AssertProblem(HttpStatusCode.Conflict);

        using var strict = new TestApp(new() { ["Moderation:Queue:UndoWindow"] = "00:00:00" });
        var admin = await Flagged(strict.Client(), "a1", "c1");
        await admin.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" });
        await (await admin.PostAsync("/api/queue/c1/undo", null)).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_bulk_decision_counts_first_then_decides_exactly_what_was_counted()
    {
        var client = await Flagged(app.Client(), "a1", "c1", "c2", "c3");
        var dry = await (await client.PostAsJsonAsync("/api/queue/decisions", new { action = "reject", reasonCode = "spam", filter = new { articleId = "a1" }, dryRun = true })).Json();
        Assert.Equal(3, dry.GetProperty("count").GetInt32());
        var asOf = dry.GetProperty("asOf").GetDateTimeOffset();

        await Flagged(client, "a1", "late");   // arrives after the moderator saw the count
        var real = await (await client.PostAsJsonAsync("/api/queue/decisions", new { action = "reject", reasonCode = "spam", filter = new { articleId = "a1" }, dryRun = false, asOf })).Json();
        Assert.Equal(3, real.GetProperty("count").GetInt32());

        var pending = (await client.GetJson("/api/queue")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("commentId").GetString());
        Assert.Equal(["late"], pending);
        Assert.Equal("rejected", (await client.GetJson("/api/comments/c2")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_bulk_decision_can_take_a_score_range()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "mild", "Damn, the council took its time.");
        await client.PostComment("a1", "strong", "Fuck the council and its lanes.");
        var mild = (await client.WaitScored("mild")).GetProperty("scores").GetProperty("profanity").GetDouble();
        var strong = (await client.WaitScored("strong")).GetProperty("scores").GetProperty("profanity").GetDouble();
        Assert.True(strong > mild);

        var range = new { field = "profanity", min = strong, max = 1.0 };
        var dry = await (await client.PostAsJsonAsync("/api/queue/decisions", new { action = "reject", filter = new { score = range }, dryRun = true })).Json();
        Assert.Equal(1, dry.GetProperty("count").GetInt32());
        await client.PostAsJsonAsync("/api/queue/decisions", new { action = "reject", filter = new { score = range }, dryRun = false, asOf = dry.GetProperty("asOf").GetDateTimeOffset() });
        Assert.Equal("rejected", (await client.GetJson("/api/comments/strong")).GetProperty("status").GetString());
        Assert.NotEqual("rejected", (await client.GetJson("/api/comments/mild")).GetProperty("status").GetString());

        var bad = await client.PostAsJsonAsync("/api/queue/decisions", new { action = "reject", filter = new { score = new { field = "id; DROP TABLE queue", min = 0, max = 1 } }, dryRun = true });
        await bad.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_real_bulk_run_without_the_dry_runs_moment_is_400()
    {
        var response = await app.Client().PostAsJsonAsync("/api/queue/decisions", new { action = "approve", filter = new { }, dryRun = false });
        await response.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stats_count_pending_by_reason_and_decisions_by_moderator()
    {
        var client = await Flagged(app.Client(), "a1", "c1", "c2");
        await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" });
        var stats = await client.GetJson("/api/stats?days=7");
        Assert.Equal(1, stats.GetProperty("pending").GetInt32());
        Assert.Equal(1, stats.GetProperty("pendingByReason").GetProperty("profanity").GetInt32());
        Assert.Equal(1, stats.GetProperty("byModerator")[0].GetProperty("decided").GetInt32());
        Assert.True(stats.GetProperty("medianSecondsToDecision").GetDouble() >= 0);
        var today = Assert.Single(stats.GetProperty("perDay").EnumerateArray());
        Assert.Equal(2, today.GetProperty("flagged").GetInt32());
        Assert.Equal(1, today.GetProperty("decided").GetInt32());
        await (await client.GetAsync("/api/stats?days=0")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_public_article_shows_only_comments_readers_may_see()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "fine", "Bike lanes on Main Street are a good idea.");
        await client.PostComment("a1", "hidden", "Fuck you, you absolute cunt");
        await client.WaitScored("fine");
        await client.WaitScored("hidden");
        var page = await app.Client(key: null).GetJson("/api/public/articles/a1");
        Assert.Equal(["fine"], page.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("commentId").GetString()));
        await (await app.Client(key: null).GetAsync("/api/public/articles/ghost")).AssertProblem(HttpStatusCode.NotFound);
    }
}
