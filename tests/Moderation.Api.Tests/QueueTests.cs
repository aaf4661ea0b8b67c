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
