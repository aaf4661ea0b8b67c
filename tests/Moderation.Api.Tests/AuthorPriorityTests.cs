using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// priority = … + 0.2 × the author's recent rejection rate (docs/POLICY.md): a rejection raises the priority of the
/// author's comments already waiting, not only of the ones flagged after it (issue 19).
/// </summary>
public sealed class AuthorPriorityTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    const string Rude = "What a f*cking waste of money, the council are a bunch of sh1t clowns.";

    async Task Post(HttpClient client, string commentId, string? authorId, string text = Rude) =>
        (await client.PostAsJsonAsync("/api/articles/a1/comments", new { commentId, text, authorId })).EnsureSuccessStatusCode();

    /// <summary>Posts these comments on article a1 and waits until every one is scored.</summary>
    async Task PostScored(HttpClient client, string text, params (string Id, string? Author)[] comments)
    {
        foreach (var (id, author) in comments) await Post(client, id, author, text);
        foreach (var (id, _) in comments) await client.WaitScored(id);
    }

    static async Task Reject(HttpClient client, string commentId) =>
        (await client.PostAsJsonAsync($"/api/queue/{commentId}/decision", new { action = "reject" })).EnsureSuccessStatusCode();

    static async Task<double> Priority(HttpClient client, string commentId) =>
        (await client.GetJson("/api/queue?limit=200")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("commentId").GetString() == commentId).GetProperty("priority").GetDouble();

    [Fact]
    public async Task Rejecting_an_authors_comment_raises_the_priority_of_their_waiting_comment_and_undo_lowers_it_again()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await PostScored(client, Rude, ("first", "rob"), ("second", "rob"), ("other", "dana"));
        var (second, other) = (await Priority(client, "second"), await Priority(client, "other"));
        Assert.Equal(second, other);   // same text, no record yet: same priority

        await Reject(client, "first");

        // One rejection is a rate of 1/3 (rejected ÷ max(decided, 3)): + 0.2 × 1/3 = 0.07 after rounding.
        Assert.Equal(Math.Round(second + 0.2 / 3, 2), await Priority(client, "second"));
        Assert.Equal(other, await Priority(client, "other"));
        var order = (await client.GetJson("/api/queue?sort=priority")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("commentId").GetString()).ToList();
        Assert.True(order.IndexOf("second") < order.IndexOf("other"), string.Join(", ", order));   // the repeat offender first

        (await client.PostAsync("/api/queue/first/undo", null)).EnsureSuccessStatusCode();
        Assert.Equal(second, await Priority(client, "second"));
    }

    [Fact]
    public async Task A_comment_scored_after_its_author_was_rejected_is_flagged_with_the_higher_priority()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await PostScored(client, Rude, ("first", "rob"), ("first-by-dana", "dana"));
        await Reject(client, "first");

        // Scored after the rejection: the worker reads the author's record for its batch (one rejection: rate 1/3).
        await PostScored(client, Rude, ("later", "rob"), ("later-by-dana", "dana"), ("later-anonymous", null));
        var clean = await Priority(client, "later-by-dana");
        Assert.Equal(clean, await Priority(client, "later-anonymous"));
        Assert.Equal(Math.Round(clean + 0.2 / 3, 2), await Priority(client, "later"));
    }

    [Fact]
    public async Task A_reported_comment_is_queued_with_its_authors_record_in_the_priority()
    {
        const string Clean = "The bike lanes on Main Street should have been built years ago.";
        var client = app.Client();
        await client.PutArticle("a1");
        await PostScored(client, Rude, ("first", "rob"));
        await PostScored(client, Clean, ("rob-clean", "rob"), ("dana-clean", "dana"));
        await Reject(client, "first");

        // The report writer reads the author's record with the report (one rejection: rate 1/3).
        foreach (var id in new[] { "rob-clean", "dana-clean" })
            (await app.Reader("10.0.0.7").PostAsJsonAsync($"/api/comments/{id}/reports", new { reason = "spam", reporterId = "r7" }))
                .EnsureSuccessStatusCode();
        var clean = await Priority(client, "dana-clean");
        Assert.Equal(Math.Round(clean + 0.2 / 3, 2), await Priority(client, "rob-clean"));
    }
}
