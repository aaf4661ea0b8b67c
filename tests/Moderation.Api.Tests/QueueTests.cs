using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class QueueTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    async Task<HttpClient> WithFlagged(params string[] ids)
    {
        var client = app.Client();
        await client.PutArticle("a1");
        foreach (var id in ids) await client.PostComment("a1", id, $"What a shitty idea, number {id}");
        foreach (var id in ids) await client.WaitScored(id);
        return client;
    }

    [Fact]
    public async Task Approving_moves_a_comment_out_of_pending_into_decided_and_shows_it()
    {
        var client = await WithFlagged("c1");
        var response = await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve", note = "satire" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approved", (await response.Json()).GetProperty("status").GetString());

        Assert.Empty((await client.GetJson("/api/queue")).GetProperty("items").EnumerateArray());
        var decided = Assert.Single((await client.GetJson("/api/queue?state=decided")).GetProperty("items").EnumerateArray());
        Assert.Equal("approve", decided.GetProperty("action").GetString());
        Assert.True((await client.GetJson("/api/comments/c1/visibility")).GetProperty("visible").GetBoolean());
    }

    /// <summary>
    /// A queue entry carries its comment's excerpt and status and its report count (migration 008, so a page reads only
    /// the queue): through reports, an edit, a decision, reports after it and an undo, the listing shows what the
    /// comment shows.
    /// </summary>
    [Fact]
    public async Task The_listing_shows_the_comments_current_excerpt_status_and_report_count()
    {
        var client = await WithFlagged("c1", "c2");
        async Task Same(string state, string id)
        {
            var item = (await client.GetJson($"/api/queue?state={state}")).GetProperty("items").EnumerateArray()
                .Single(i => i.GetProperty("commentId").GetString() == id);
            var comment = await client.GetJson($"/api/comments/{id}");
            Assert.Equal(comment.GetProperty("status").GetString(), item.GetProperty("status").GetString());
            Assert.Equal(comment.GetProperty("reports").GetProperty("count").GetInt32(), item.GetProperty("reportCount").GetInt32());
            var text = comment.GetProperty("text").GetString()!;
            Assert.Equal(text[..Math.Min(280, text.Length)], item.GetProperty("excerpt").GetString());
        }
        Task Report(string id, int reader) =>
            app.Reader($"10.2.0.{reader}").PostAsJsonAsync($"/api/comments/{id}/reports", new { reason = "abusive", reporterId = $"reader{reader}" });

        await Same("pending", "c1");
        for (var r = 1; r <= 3; r++) await Report("c1", r);   // three readers hide it
        await Same("pending", "c1");
        Assert.Equal("hidden", (await client.GetJson("/api/comments/c1")).GetProperty("status").GetString());

        await client.PostComment("a1", "c2", "An edited, longer comment, still a shitty idea: " + new string('x', 400));
        await client.WaitScored("c2");
        await Same("pending", "c2");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" })).StatusCode);
        await Report("c1", 4);                                // recorded on a decided comment
        await Same("decided", "c1");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/queue/c1/undo", null)).StatusCode);
        await Same("pending", "c1");
    }

    [Fact]
    public async Task Deciding_twice_is_409_for_a_moderator_and_allowed_to_an_admin_with_force()
    {
        var client = await WithFlagged("c1");
        var moderator = app.Client(await app.KeyFor("moderator"));
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", reasonCode = "offensive" })).StatusCode);
        await (await moderator.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" })).AssertProblem(HttpStatusCode.Conflict);
        await (await moderator.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve", force = true })).AssertProblem(HttpStatusCode.Forbidden);

        var forced = await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve", force = true });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var history = (await client.GetJson("/api/comments/c1")).GetProperty("history").EnumerateArray()
            .Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["received", "scored", "reject", "approve"], history);
    }

    [Fact]
    public async Task A_decision_is_written_to_the_audit_log_with_the_deciding_key()
    {
        var client = await WithFlagged("c1");
        await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", reasonCode = "spam", note = "ad link" });
        var entry = (await client.GetJson("/api/audit")).GetProperty("items").EnumerateArray().First();
        Assert.Equal("reject", entry.GetProperty("action").GetString());
        Assert.Equal("admin", entry.GetProperty("actor").GetString());
        Assert.Equal("rejected", entry.GetProperty("statusAfter").GetString());
    }

    [Fact]
    public async Task Deciding_an_unknown_comment_is_404_and_a_bad_action_is_400()
    {
        var client = await WithFlagged("c1");
        await (await client.PostAsJsonAsync("/api/queue/ghost/decision", new { action = "approve" })).AssertProblem(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "delete" })).AssertProblem(HttpStatusCode.BadRequest);
        await (await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", reasonCode = "ugly" })).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_repeating_or_skipping()
    {
        var ids = Enumerable.Range(1, 7).Select(i => $"c{i}").ToArray();
        var client = await WithFlagged(ids);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetJson("/api/queue?limit=3&sort=oldest" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("commentId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Filters_by_reason_and_article_narrow_the_queue()
    {
        var client = await WithFlagged("c1");
        await client.PutArticle("a2");
        await client.PostComment("a2", "c2", "Shit article");
        await client.WaitScored("c2");
        var onlyA2 = (await client.GetJson("/api/queue?articleId=a2")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("c2", Assert.Single(onlyA2).GetProperty("commentId").GetString());
        Assert.Empty((await client.GetJson("/api/queue?reason=reader_reports")).GetProperty("items").EnumerateArray());
        Assert.Equal(2, (await client.GetJson("/api/queue?reason=profanity")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("state=open")]
    [InlineData("sort=random")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=ten")]
    [InlineData("reason=rude")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("articleId=%20%27%3B--")]
    public async Task Bad_queue_parameters_are_400(string query)
    {
        await (await app.Client().GetAsync("/api/queue?" + query)).AssertProblem(HttpStatusCode.BadRequest);
    }
}
