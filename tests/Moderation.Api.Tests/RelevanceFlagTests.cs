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

        var put = await client.PutAsJsonAsync("/api/settings", new { reasons = new Dictionary<string, object> { ["off_topic"] = new { flagAt = 0.53, hideAt = 2.0 } } });
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

    [Fact]
    public async Task A_moderator_finds_an_article_s_unflagged_off_topic_comments_least_relevant_first_page_by_page()
    {
        var client = app.Client();
        await client.PutArticle("bikes");
        await client.PostComment("bikes", "on1", "Protected bike lanes on Main Street will make my commute so much safer.");
        await client.PostComment("bikes", "off1", ShortOffTopic);
        await client.PostComment("bikes", "on2", "Shop owners on Main Street will lose parking, but cyclists will finally be safe there.");
        foreach (var id in new[] { "on1", "off1", "on2" }) await client.WaitScored(id);

        var seen = new List<(string Id, double Relevance)>();
        string? cursor = null;
        do
        {
            var page = await client.GetJson("/api/articles/bikes/comments?limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("commentId").GetString()!, i.GetProperty("relevance").GetDouble())));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.Equal(["off1", "on1", "on2"], seen.Select(s => s.Id).Order());
        Assert.Equal("off1", seen[0].Id);                                   // the off-topic one, not flagged, comes first
        Assert.Equal(seen.Select(s => s.Relevance).Order(), seen.Select(s => s.Relevance));
    }

    [Fact]
    public async Task The_article_comment_list_answers_404_for_an_unknown_article_and_400_for_a_foreign_cursor()
    {
        var client = app.Client();
        await (await client.GetAsync("/api/articles/nope/comments")).AssertProblem(System.Net.HttpStatusCode.NotFound);
        await client.PutArticle("bikes");
        await (await client.GetAsync("/api/articles/bikes/comments?cursor=bm90LWEtY3Vyc29y")).AssertProblem(System.Net.HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/articles/bikes/comments?limit=0")).AssertProblem(System.Net.HttpStatusCode.BadRequest);
    }
}
