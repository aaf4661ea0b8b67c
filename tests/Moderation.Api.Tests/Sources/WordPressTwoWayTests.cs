using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;
using Moderation.Worker.Tests.Connectors;

namespace Moderation.Api.Tests.Sources;

/// <summary>The service and a WordPress site moderating together, through the API a moderator and an admin use.</summary>
public sealed class WordPressTwoWayTests : IAsyncLifetime
{
    FakeWordPress site = null!;
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        site = await FakeWordPress.StartAsync();
        site.Credentials = ("moderation-bot", "abcd efgh ijkl mnop");
        site.AddPost(7, "Council approves bike lanes on Main Street", "<p>" + Fixtures.BikeLanes + "</p>");
        var at = DateTime.UtcNow.AddHours(-1);
        site.Add(new FakeWordPress.Comment(70, 7, at, "<p>Protected bike lanes on Main Street are overdue.</p>"),
            new FakeWordPress.Comment(71, 7, at.AddMinutes(1), "<p>Bike lanes: the council should have voted sooner.</p>", Status: "hold"));
        app = new TestApp(new()
        {
            ["Moderation:Sources:0:Type"] = "wordpress",
            ["Moderation:Sources:0:Name"] = "courier",
            ["Moderation:Sources:0:Url"] = site.Url.ToString(),
            ["Moderation:Sources:0:User"] = "moderation-bot",
            ["Moderation:Sources:0:AppPassword"] = "abcd efgh ijkl mnop",
            ["Moderation:Sources:0:RejectAs"] = "spam",
            ["Moderation:Sources:0:PollInterval"] = "00:00:00.100",
            ["Moderation:Sources:0:RescanInterval"] = "00:00:00.100", // the site's own moderation is noticed by the rescan
            ["Moderation:Connectors:RetryDelay"] = "00:00:00.005",
            ["Moderation:Connectors:MaxRetries"] = "1",
            ["Moderation:Connectors:WriteBackPollInterval"] = "00:00:00.050",
            ["Moderation:Relevance:Embeddings"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        app.Dispose();
        await site.DisposeAsync();
    }

    [Fact]
    public async Task A_moderators_reject_and_undo_reach_the_site_and_the_admin_sees_the_write_backs()
    {
        var admin = app.Client();
        await app.Client().WaitPolledAndScored("70");
        var moderator = app.Client(await app.KeyFor("moderator"));

        var reject = await moderator.PostAsJsonAsync("/api/queue/70/decision", new { action = "reject", reasonCode = "spam" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        await Fixtures.Eventually(() => site.StatusOf(70) == "spam", "the reject to reach the site");
        var undo = await moderator.PostAsync("/api/queue/70/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        await Fixtures.Eventually(() => site.StatusOf(70) == "approved", "the undo to reach the site");

        Assert.Equal([(70L, "spam"), (70L, "approved")], site.StatusWrites);
        var onSite = (await admin.GetJson("/api/comments/70")).GetProperty("source");
        Assert.Equal(("courier", 70, "approved", "approved"), (onSite.GetProperty("name").GetString(), onSite.GetProperty("remoteId").GetInt32(),
            onSite.GetProperty("siteStatus").GetString(), onSite.GetProperty("writtenStatus").GetString()));
        var history = (await admin.GetJson("/api/comments/70")).GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(2, history.Count(a => a == "written_back"));
        var source = (await admin.GetJson("/api/sources")).GetProperty("items")[0];
        Assert.Equal(2, source.GetProperty("writeBacks").GetInt32());
        Assert.Equal(0, source.GetProperty("writeBacksPending").GetInt32());
        Assert.True(source.GetProperty("writeBack").GetBoolean());
        Assert.Equal("spam", source.GetProperty("rejectAs").GetString());
        Assert.True(source.GetProperty("authenticated").GetBoolean());
        Assert.Equal(2, source.GetProperty("commentsIngested").GetInt32());
    }

    [Fact]
    public async Task A_comment_the_site_holds_is_not_visible_until_the_site_approves_it()
    {
        var reader = app.Reader("203.0.113.9");
        await app.Client().WaitPolledAndScored("71");
        // No wait for the poll to end: a new comment's site status is stored with it (WordPressConnectorTests,
        // A_held_comment_is_stored_with_its_site_status_in_one_step), so it is never scored without it.
        Assert.False((await reader.GetJson("/api/comments/71/visibility")).GetProperty("visible").GetBoolean());
        Assert.Equal("hold", (await app.Client().GetJson("/api/comments/71")).GetProperty("source").GetProperty("siteStatus").GetString());
        Assert.True((await reader.GetJson("/api/comments/70/visibility")).GetProperty("visible").GetBoolean());

        site.SetStatus(71, "approved");
        await Fixtures.Eventually(async () => (await reader.GetJson("/api/comments/71/visibility")).GetProperty("visible").GetBoolean(), "the site's approval to be read");

        Assert.Empty(site.StatusWrites); // reading the site's moderation writes nothing back
    }
}
