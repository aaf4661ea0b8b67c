using Dapper;
using static Moderation.Worker.Tests.Connectors.FakeWordPress;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>The site's own moderation (an editor in wp-admin) reaching the queue, noticed by the rescan.</summary>
public sealed class WordPressSiteModerationTests : IAsyncLifetime
{
    static readonly DateTime Start = DateTime.UtcNow.AddHours(-3).Date.AddHours(DateTime.UtcNow.AddHours(-3).Hour);
    FakeWordPress site = null!;
    ConnectorHarness h = null!;

    public async Task InitializeAsync()
    {
        site = await FakeWordPress.StartAsync();
        site.Credentials = ("editor", "pw");
        site.AddPost(1, "Council approves bike lanes", "<p>The council voted 7&ndash;2.</p>");
        site.Add(new Comment(1, 1, Start.AddMinutes(1), "<p>Good call by the council</p>"),
            new Comment(2, 1, Start.AddMinutes(2), "<p>A bad idea, and badly argued</p>"),
            new Comment(3, 1, Start.AddMinutes(3), "<p>Held by the site for its own reasons</p>", Status: "hold"));
        h = new ConnectorHarness("wordpress", site.Url, new() { ["User"] = "editor", ["AppPassword"] = "pw", ["RescanInterval"] = "00:00:00.001" });
        await h.InitializeAsync();
        await h.PollAsync();
        await h.ScoreAsync();
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        await site.DisposeAsync();
    }

    async Task<bool> VisibleAsync(string id)
    {
        var (status, held) = (await h.Storage.SiteStatus.VisibilityAsync(id, default))!.Value;
        return Core.Policy.CommentStatus.IsVisible(status, held);
    }

    async Task<string> QueueStateAsync(string id)
    {
        await using var c = await h.Storage.Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT state FROM queue WHERE comment_id = @id", new { id }) ?? "none";
    }

    [Fact]
    public async Task A_comment_held_at_the_source_is_not_visible_until_the_site_approves_it()
    {
        Assert.Equal("published", await h.StatusAsync("3"));
        Assert.False(await VisibleAsync("3"));
        Assert.True(await VisibleAsync("1"));

        site.SetStatus(3, "approved");
        await h.PollAsync();

        Assert.True(await VisibleAsync("3"));
        Assert.Equal(1, (await h.SourceAsync())!.StatusChanges);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'site_status_changed' AND comment_id = '3' AND actor = 'source:site'"));
    }

    [Fact]
    public async Task A_comment_held_at_the_source_is_visible_once_a_moderator_here_approves_it()
    {
        await h.Storage.Queue.DecideAsync("3", "approve", null, null, "key-mod", false, DateTimeOffset.UtcNow, default);

        Assert.True(await VisibleAsync("3"));
        await h.WriteBackAsync();
        Assert.Equal("approved", site.StatusOf(3));
    }

    [Theory]
    [InlineData("trash")]
    [InlineData("spam")]
    public async Task A_comment_trashed_or_spammed_at_the_source_leaves_the_queue_and_comes_back_when_restored(string removed)
    {
        Assert.Equal(("pending", "pending"), (await h.StatusAsync("2"), await QueueStateAsync("2")));

        site.SetStatus(2, removed);
        await h.PollAsync();

        Assert.Equal(("removed_at_source", "decided"), (await h.StatusAsync("2"), await QueueStateAsync("2")));
        Assert.False(await VisibleAsync("2"));
        var pending = await h.Storage.Queue.ListAsync(new Storage.Queue.QueueQuery("pending", null, null, default, 50, null), default);
        Assert.DoesNotContain(pending, q => q.CommentId == "2");
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'removed_at_source' AND comment_id = '2' AND status_after = 'removed_at_source'"));
        // A moderator who opens it now is told it was decided (by the site), not asked to decide it twice.
        var late = await h.Storage.Queue.DecideAsync("2", "reject", null, null, "key-mod", false, DateTimeOffset.UtcNow, default);
        Assert.Equal(Storage.Queue.DecisionOutcome.AlreadyDecided, late.Outcome);

        site.SetStatus(2, "approved");
        await h.PollAsync();

        Assert.Equal(("pending", "pending"), (await h.StatusAsync("2"), await QueueStateAsync("2")));
        Assert.Equal(2, (await h.SourceAsync())!.StatusChanges);
        await h.AssertEachOnceAsync(3);
    }

    [Fact]
    public async Task A_comment_approved_at_the_source_while_pending_here_shows_that_to_the_moderator()
    {
        site.Add(new Comment(4, 1, Start.AddMinutes(4), "<p>A bad one the site holds too</p>", Status: "hold"));
        await h.PollAsync();
        await h.ScoreAsync();
        Assert.Equal("pending", await h.StatusAsync("4"));
        Assert.False(await VisibleAsync("4"));

        site.SetStatus(4, "approved");
        await h.PollAsync();

        Assert.Equal(("pending", "pending"), (await h.StatusAsync("4"), await QueueStateAsync("4")));
        Assert.Contains("approved_at_source", await h.Storage.Queue.GetReasonsAsync("4", default));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'approved_at_source' AND comment_id = '4'"));
        Assert.True(await VisibleAsync("4"));
    }
}
