using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>An admin decides whether mild words flag (issue 16), through PUT /api/settings.</summary>
public sealed class MildWordsTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task With_profanity_min_severity_strong_a_bloody_comment_is_published_and_a_strong_word_still_queued()
    {
        var client = app.Client();
        await client.PutArticle("bikes");
        await client.PostComment("bikes", "mild-before", "Bloody roadworks again on Main Street, the bike lanes cannot come soon enough.");
        Assert.Equal("pending", (await client.WaitScored("mild-before")).GetProperty("status").GetString());   // the default: mild flags

        var put = await client.PutAsJsonAsync("/api/settings", new { profanityMinSeverity = "strong" });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        Assert.Equal("strong", (await client.GetJson("/api/settings")).GetProperty("profanityMinSeverity").GetString());

        await client.PostComment("bikes", "mild-after", "Bloody roadworks again on Main Street, the bike lanes cannot come soon enough!");
        await client.PostComment("bikes", "strong-after", "These fucking roadworks on Main Street, build the bike lanes already.");
        var mild = await client.WaitScored("mild-after");
        Assert.Equal("published", mild.GetProperty("status").GetString());
        Assert.True(mild.GetProperty("scores").GetProperty("profanity").GetDouble() >= 0.5, "the score still says what it found");
        Assert.Contains((await client.WaitScored("strong-after")).GetProperty("status").GetString(), new[] { "pending", "hidden" });   // queued
    }

    [Fact]
    public async Task An_unknown_severity_is_a_400_and_changes_nothing()
    {
        var client = app.Client();
        var put = await client.PutAsJsonAsync("/api/settings", new { profanityMinSeverity = "rude" });
        await put.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("mild", (await client.GetJson("/api/settings")).GetProperty("profanityMinSeverity").GetString());
    }
}
