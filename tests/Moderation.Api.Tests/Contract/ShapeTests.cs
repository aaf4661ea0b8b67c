using System.Net.Http.Json;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Contract;

/// <summary>Answers that had a different shape on GET than on POST/PUT, or more digits than the rest (issue 19).</summary>
public sealed class ShapeTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Listing_webhooks_gives_events_as_the_array_creating_one_answered()
    {
        var client = app.Client();
        var created = await (await client.PostAsJsonAsync("/api/webhooks",
            new { url = "https://cms.example/hooks", events = new[] { "comment.flagged", "comment.decided" } })).Json();

        var listed = Assert.Single((await client.GetJson("/api/webhooks")).GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("events").ValueKind);
        Assert.Equal(["comment.flagged", "comment.decided"], listed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(created.GetProperty("events").GetRawText(), listed.GetProperty("events").GetRawText());
        Assert.Equal(created.GetProperty("webhookId").GetString(), listed.GetProperty("webhookId").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Settings_answer_the_same_shape_on_get_and_put_with_their_version()
    {
        var client = app.Client();
        var before = await client.GetJson("/api/settings");
        Assert.Equal(0, before.GetProperty("version").GetInt64());

        var put = await (await client.PutAsJsonAsync("/api/settings", new { suspectTerms = new[] { "referendum" } })).Json();
        var got = await client.GetJson("/api/settings");

        Assert.Equal(Keys(put), Keys(got));
        Assert.Equal(1, got.GetProperty("version").GetInt64());
        Assert.Equal(put.GetRawText(), got.GetRawText());
        Assert.Equal("referendum", got.GetProperty("suspectTerms")[0].GetString());
        // The old PUT answer's wrapper is still there for clients that read it (deprecated, docs/INTEGRATING.md).
        Assert.Equal(got.GetProperty("reasons").GetRawText(), got.GetProperty("settings").GetProperty("reasons").GetRawText());
    }

    static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).Order().ToArray();

    [Fact]
    public async Task A_reader_reports_score_has_four_decimals_like_the_other_scores()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "The bike lanes on Main Street should have been built years ago.");
        await admin.WaitScored("c1");
        // Two new reporters from two addresses weigh 2 of the 3 that hide: 2/3.
        foreach (var (reporterId, address) in new[] { ("r1", "10.0.0.1"), ("r2", "10.0.0.2") })
            (await app.Reader(address).PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId })).EnsureSuccessStatusCode();

        var queue = await admin.GetAsync("/api/queue");
        var raw = await queue.Content.ReadAsStringAsync();
        Assert.DoesNotContain("0.666666", raw);
        var reason = (await admin.GetJson("/api/comments/c1")).GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "reader_reports");
        Assert.Equal(0.6667, reason.GetProperty("score").GetDouble());
    }
}
