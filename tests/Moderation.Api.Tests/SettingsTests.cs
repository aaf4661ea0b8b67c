using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class SettingsTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    static string Status(System.Text.Json.JsonElement comment) => comment.GetProperty("status").GetString()!;

    [Fact]
    public async Task A_settings_change_alters_the_very_next_scoring_and_is_audited()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "before", "The council should just build the damn lanes already.");
        var first = await client.WaitScored("before");
        var profanity = first.GetProperty("scores").GetProperty("profanity").GetDouble();
        Assert.NotEqual("published", Status(first));

        // Raise the profanity flag threshold above this comment's score: the same text now passes.
        var put = await client.PutAsJsonAsync("/api/settings", new { reasons = new Dictionary<string, object> { ["profanity"] = new { flagAt = profanity + 0.01, hideAt = 2.0 } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await client.PostComment("a1", "after", "The council should just build the damn lanes already.");
        Assert.Equal("published", Status(await client.WaitScored("after")));

        var audit = (await client.GetJson("/api/audit")).GetProperty("items").EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "settings_changed");
    }

    [Fact]
    public async Task Banned_terms_hide_suspect_terms_flag_and_allowed_terms_pass()
    {
        var client = app.Client();
        await client.PutAsJsonAsync("/api/settings", new { bannedTerms = new[] { "crypto pump" }, suspectTerms = new[] { "referendum" }, allowTerms = new[] { "bloody" } });
        await client.PutArticle("a1");
        await client.PostComment("a1", "banned", "Join my Crypto Pump group for the lanes fund!");
        await client.PostComment("a1", "suspect", "Will there be a referendum on the bike lanes on Main Street?");
        await client.PostComment("a1", "allowed", "Those bloody bike lanes on Main Street are long overdue, well done council.");

        var banned = await client.WaitScored("banned");
        Assert.Equal("hidden", Status(banned));
        var span = banned.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "banned_term").GetProperty("spans")[0];
        Assert.Equal("Crypto Pump", span.GetProperty("text").GetString());

        var suspect = await client.WaitScored("suspect");
        Assert.Equal("pending", Status(suspect));
        Assert.Contains(suspect.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "suspect_term");

        var allowed = await client.WaitScored("allowed");
        Assert.DoesNotContain(allowed.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "profanity");
    }

    [Fact]
    public async Task Settings_are_for_admins_and_bad_thresholds_are_400()
    {
        var moderator = app.Client(await app.KeyFor("moderator"));
        await (await moderator.GetAsync("/api/settings")).AssertProblem(HttpStatusCode.Forbidden);
        var admin = app.Client();
        var bad = await admin.PutAsJsonAsync("/api/settings", new { reasons = new Dictionary<string, object> { ["nonsense"] = new { flagAt = 0.5, hideAt = 0.9 } } });
        await bad.AssertProblem(HttpStatusCode.BadRequest);
        var nan = await admin.PutAsJsonAsync("/api/settings", new { reasons = new Dictionary<string, object> { ["profanity"] = new { flagAt = -1, hideAt = 0.9 } } });
        await nan.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_premoderated_article_holds_every_comment_and_a_closed_one_refuses_new_ones()
    {
        var client = app.Client();
        await client.PutArticle("pre");
        await client.PutArticle("closed");
        await client.PutAsJsonAsync("/api/articles/pre/settings", new { premoderation = true, closed = false });
        await client.PutAsJsonAsync("/api/articles/closed/settings", new { premoderation = false, closed = true });

        await client.PostComment("pre", "c1", "Bike lanes on Main Street are a great idea.");
        var held = await client.WaitScored("c1");
        Assert.Equal("hidden", Status(held));
        Assert.Contains(held.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "premoderation");

        await (await client.PostComment("closed", "c2", "Anything")).AssertProblem(HttpStatusCode.Conflict);
        await (await client.GetAsync("/api/comments/c2")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_authors_record_shows_rejections_and_raises_the_priority_of_their_next_flag()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        async Task Post(string id, string author, string text) =>
            await client.PostAsJsonAsync("/api/articles/a1/comments", new { commentId = id, text, authorId = author });
        await Post("old1", "troll", "What a shitty council");
        await Post("old2", "troll", "Shitty lanes");
        await client.WaitScored("old1");
        await client.WaitScored("old2");
        await client.PostAsJsonAsync("/api/queue/old1/decision", new { action = "reject", reasonCode = "offensive" });
        await client.PostAsJsonAsync("/api/queue/old2/decision", new { action = "reject", reasonCode = "offensive" });

        var author = await client.GetJson("/api/authors/troll");
        Assert.Equal(2, author.GetProperty("rejected").GetInt32());
        Assert.Equal(0.667, author.GetProperty("recentRejectionRate").GetDouble(), 3);   // 2 ÷ max(2, 3)

        await Post("new-troll", "troll", "Shitty article");
        await Post("new-other", "someone", "Shitty article");
        await client.WaitScored("new-troll");
        await client.WaitScored("new-other");
        var items = (await client.GetJson("/api/queue")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("commentId").GetString()!, i => i.GetProperty("priority").GetDouble());
        Assert.Equal(items["new-other"] + 0.13, items["new-troll"], 2);   // + 0.2 × 0.667
        await (await client.GetAsync("/api/authors/nobody")).AssertProblem(HttpStatusCode.NotFound);
    }
}
