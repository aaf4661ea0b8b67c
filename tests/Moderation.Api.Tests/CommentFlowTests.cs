using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class CommentFlowTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Putting_a_new_article_answers_201_and_putting_it_again_answers_200()
    {
        var client = app.Client();
        var first = await client.PutAsJsonAsync("/api/articles/a1", new { title = "Bike lanes", body = Fixtures.BikeLanes });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await client.PutAsJsonAsync("/api/articles/a1", new { title = "Bike lanes, updated", body = Fixtures.BikeLanes });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, (await again.Json()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_posted_comment_is_accepted_then_scored_by_the_worker()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        var response = await client.PostComment("a1", "c1", "Protected bike lanes on Main Street are overdue; glad the council voted for them.");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("received", (await response.Json()).GetProperty("status").GetString());

        var comment = await client.WaitScored("c1");
        Assert.Equal("published", comment.GetProperty("status").GetString());
        var scores = comment.GetProperty("scores");
        foreach (var name in new[] { "profanity", "relevance", "offTopicLength" })
            Assert.InRange(scores.GetProperty(name).GetDouble(), 0, 1);
        Assert.Contains(comment.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "scored");
    }

    [Fact]
    public async Task A_profane_comment_lands_in_the_queue_with_its_span()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        const string text = "These bike lanes are a fucking waste of money";
        await client.PostComment("a1", "c1", text);
        var comment = await client.WaitScored("c1");
        Assert.Contains(comment.GetProperty("status").GetString(), new[] { "pending", "hidden" });

        var queue = await client.GetJson("/api/queue");
        var item = Assert.Single(queue.GetProperty("items").EnumerateArray());
        Assert.Equal("c1", item.GetProperty("commentId").GetString());
        var reason = item.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "profanity");
        var span = reason.GetProperty("spans")[0];
        Assert.Equal("fucking", text[span.GetProperty("start").GetInt32()..span.GetProperty("end").GetInt32()]);
    }

    [Fact]
    public async Task The_same_comment_twice_is_a_no_op_and_changed_text_is_scored_again()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "Bike lanes on Main Street will help cyclists.");
        await client.WaitScored("c1");

        var same = await client.PostComment("a1", "c1", "Bike lanes on Main Street will help cyclists.");
        Assert.Equal("published", (await same.Json()).GetProperty("status").GetString());

        var edited = await client.PostComment("a1", "c1", "These bike lanes are shit.");
        Assert.Equal("received", (await edited.Json()).GetProperty("status").GetString());
        var comment = await client.WaitScored("c1");
        Assert.Equal("These bike lanes are shit.", comment.GetProperty("text").GetString());
        Assert.NotEqual("published", comment.GetProperty("status").GetString());
        var actions = comment.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["received", "scored", "edited", "scored"], actions);
    }

    [Fact]
    public async Task A_comment_under_an_unknown_article_is_404()
    {
        var response = await app.Client().PostComment("nope", "c1", "hello");
        await response.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_comment_id_reused_under_another_article_is_409()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PutArticle("a2");
        await client.PostComment("a1", "c1", "first");
        var response = await client.PostComment("a2", "c1", "second");
        await response.AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Visibility_follows_the_status_and_an_unknown_comment_is_404()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "ok", "Good decision on the bike lanes by the council.");
        await client.PostComment("a1", "bad", "Fuck this council and its cunt of a mayor");
        await client.WaitScored("ok");
        await client.WaitScored("bad");
        var anonymous = app.Client(key: null);
        Assert.True((await anonymous.GetJson("/api/comments/ok/visibility")).GetProperty("visible").GetBoolean());
        Assert.False((await anonymous.GetJson("/api/comments/bad/visibility")).GetProperty("visible").GetBoolean());
        await (await anonymous.GetAsync("/api/comments/ghost/visibility")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Getting_an_unknown_comment_is_404()
    {
        await (await app.Client().GetAsync("/api/comments/ghost")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_and_the_openapi_document_are_served()
    {
        var client = app.Client(key: null);
        Assert.Equal("ok", (await client.GetJson("/health")).GetProperty("status").GetString());
        var openapi = await client.GetJson("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/queue", out _));
    }
}
