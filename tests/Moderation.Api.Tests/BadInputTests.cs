using System.Net;
using System.Net.Http.Json;
using System.Text;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>Bad input gets a problem-details 4xx, never a 500, and changes nothing already accepted.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Limits:MaxCommentChars"] = "500" });
    public void Dispose() => app.Dispose();

    static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "/api/articles/a1/comments", "{" },
        { "/api/articles/a1/comments", "[]" },
        { "/api/articles/a1/comments", """{"commentId": 5, "text": "x"}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2", "text": ["x"]}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2", "text": "x", "postedAt": "yesterday"}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2"}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2", "text": "   "}""" },
        { "/api/articles/a1/comments", """{"commentId": "has space", "text": "x"}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2", "text": "bell\u0007"}""" },
        { "/api/articles/a1/comments", """{"commentId": "c2", "text": "lone \ud800 surrogate"}""" },
        { "/api/articles/a1/comments", "{\"commentId\": \"" + new string('x', 10_000) + "\", \"text\": \"x\"}" },
        { "/api/articles/a1/comments", new string('[', 5000) + new string(']', 5000) },
        { "/api/comments/c1/reports", """{"reason": "spam'; DROP TABLE comments;--"}""" },
        { "/api/comments/c1/reports", """{"reason": null}""" },
        { "/api/queue/c1/decision", """{"action": 1}""" },
        { "/api/score", """{"article": {"title": "t"}, "comments": []}""" },
        { "/api/keys", """{"name": "x", "role": "root"}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_bodies_are_400_and_change_nothing(string url, string body)
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "Bike lanes are fine.");
        var before = await client.GetJson("/api/comments/c1");

        var response = await client.PostAsync(url, Raw(body));
        await response.AssertProblem(HttpStatusCode.BadRequest);

        var after = await client.GetJson("/api/comments/c1");
        Assert.Equal(before.GetProperty("text").GetString(), after.GetProperty("text").GetString());
        Assert.Equal(0, after.GetProperty("reports").GetProperty("count").GetInt32());
        // Only the worker's own scoring may have happened meanwhile: no decision, edit or key came of it.
        var actions = (await client.GetJson("/api/audit")).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString());
        Assert.All(actions, a => Assert.Contains(a, new[] { "received", "scored" }));
        Assert.Empty((await client.GetJson("/api/keys")).GetProperty("items").EnumerateArray());
        await (await client.GetAsync("/api/comments/c2")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_comment_over_the_length_limit_is_413_and_is_not_stored()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        var response = await client.PostComment("a1", "long", new string('a', 501));
        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await (await client.GetAsync("/api/comments/long")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        using var small = new TestApp(new() { ["Moderation:Limits:MaxBodyBytes"] = "1000" });
        var client = small.Client();
        var response = await client.PutAsJsonAsync("/api/articles/a1", new { title = "t", body = new string('b', 5000) });
        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("/api/comments/%E2%80%8B/visibility")]
    [InlineData("/api/comments/%27%20OR%201%3D1--/visibility")]
    public async Task Odd_ids_in_the_path_are_404_not_500(string url)
    {
        await (await app.Client(key: null).GetAsync(url)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_id_of_10000_characters_in_the_path_is_a_client_error()
    {
        var response = await app.Client().PutAsJsonAsync("/api/articles/" + new string('a', 10_000), new { title = "t", body = "b" });
        await response.AssertProblem(HttpStatusCode.BadRequest);
    }
}
