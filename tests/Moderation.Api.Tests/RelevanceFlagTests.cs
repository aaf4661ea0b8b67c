using System.Net.Http.Json;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>The relevance flags as a site sees them (issue 14): a long rant about something else reaches the queue;
/// a short off-topic comment carries its relevance but is only queued once a site turns short flags on.</summary>
public sealed class RelevanceFlagTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    const string ShortOffTopic = "Does anyone know a good plumber near the station? My kitchen tap has been dripping for a week.";

    static readonly string Rant = string.Join(" ", Enumerable.Repeat(
        "The real scandal in this country is the price of petrol and the way the energy companies get away with it. " +
        "My heating bill went up again last month and nobody in government cares about pensioners like my mother.", 4));

    static IEnumerable<string> Codes(JsonElement comment) =>
        comment.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!);

    [Fact]
    public async Task A_long_rant_about_something_else_is_queued_as_off_topic_length()
    {
        var client = app.Client();
        await client.PutArticle("bikes");
        await client.PostComment("bikes", "rant", Rant);
        var comment = await client.WaitScored("rant");
        Assert.Equal("pending", comment.GetProperty("status").GetString());
        Assert.Contains("off_topic_length", Codes(comment));
    }

    [Fact]
    public async Task A_short_off_topic_comment_is_only_queued_once_short_flags_are_turned_on()
    {
        var client = app.Client();
        await client.PutArticle("bikes");
        await client.PostComment("bikes", "quip", ShortOffTopic);
        var quiet = await client.WaitScored("quip");
        Assert.Equal("published", quiet.GetProperty("status").GetString());
        Assert.True(quiet.GetProperty("scores").GetProperty("relevance").GetDouble() < 0.41, "its relevance still says off topic");

        var put = await client.PutAsJsonAsync("/api/settings", new { reasons = new Dictionary<string, object> { ["off_topic"] = new { flagAt = 0.59, hideAt = 2.0 } } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        await client.PostComment("bikes", "quip2", ShortOffTopic + " Any tips?");
        var flagged = await client.WaitScored("quip2");
        Assert.Equal("pending", flagged.GetProperty("status").GetString());
        Assert.Contains("off_topic", Codes(flagged));
    }

    [Fact]
    public async Task The_score_preview_gives_the_worker_s_relevance_for_the_same_comment()
    {
        var client = app.Client();
        await client.PutArticle("bikes");
        const string text = "Rode to work in the rain today and a van nearly clipped my elbow. Can't come soon enough.";
        await client.PostComment("bikes", "c1", text);
        var stored = (await client.WaitScored("c1")).GetProperty("scores");

        var preview = await client.PostAsJsonAsync("/api/score", new
        {
            article = new { title = "Council approves bike lanes on Main Street", body = Fixtures.BikeLanes },
            comments = new[] { new { text } },
        });
        var scores = (await preview.Json()).GetProperty("results")[0].GetProperty("scores");
        Assert.Equal(stored.GetProperty("relevance").GetDouble(), scores.GetProperty("relevance").GetDouble(), 3);
        Assert.Equal(stored.GetProperty("offTopicLength").GetDouble(), scores.GetProperty("offTopicLength").GetDouble(), 3);
    }
}
