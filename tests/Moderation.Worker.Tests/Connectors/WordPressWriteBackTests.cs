using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Policy;
using static Moderation.Worker.Tests.Connectors.FakeWordPress;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>Decisions made here reach the WordPress site: what the fake site received, and what it did not.</summary>
public sealed class WordPressWriteBackTests : IAsyncLifetime
{
    static readonly DateTime Start = DateTime.UtcNow.AddHours(-3).Date.AddHours(DateTime.UtcNow.AddHours(-3).Hour);
    const string Moderator = "key-mod";
    FakeWordPress site = null!;
    ConnectorHarness h = null!;

    public async Task InitializeAsync()
    {
        site = await FakeWordPress.StartAsync();
        site.Credentials = ("editor", "abcd efgh ijkl mnop");
        site.AddPost(1, "Council approves bike lanes", "<p>The council voted 7&ndash;2.</p>");
        site.Add(new Comment(1, 1, Start.AddMinutes(1), "<p>Good call by the council</p>"),
            new Comment(2, 1, Start.AddMinutes(2), "<p>A bad idea, and badly argued</p>"),
            new Comment(3, 1, Start.AddMinutes(3), "<p>An awful thing to say</p>"));
        h = await StartAsync();
    }

    async Task<ConnectorHarness> StartAsync(Dictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var source = new Dictionary<string, string?> { ["User"] = "editor", ["AppPassword"] = "abcd efgh ijkl mnop", ["RescanInterval"] = "00:00:00.001" };
        foreach (var (k, v) in extra ?? []) source[k] = v;
        var harness = new ConnectorHarness("wordpress", site.Url, source, time);
        await harness.InitializeAsync();
        return harness;
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        await site.DisposeAsync();
    }

    /// <summary>Polls and scores: comment 1 published, 2 pending, 3 hidden.</summary>
    async Task InAndScoredAsync()
    {
        await h.PollAsync();
        await h.ScoreAsync();
        Assert.Equal(("published", "pending", "hidden"), (await h.StatusAsync("1"), await h.StatusAsync("2"), await h.StatusAsync("3")));
    }

    [Fact]
    public async Task A_comment_the_service_hides_is_held_on_the_site_and_nothing_else_is_touched()
    {
        await InAndScoredAsync();

        await h.WriteBackAsync();

        Assert.Equal([(3L, "hold")], site.StatusWrites);
        Assert.Equal(("approved", "approved", "hold"), (site.StatusOf(1), site.StatusOf(2), site.StatusOf(3)));
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'written_back' AND comment_id = '3' AND actor = 'source:site'"));
        Assert.Equal(1, (await h.SourceAsync())!.WriteBacks);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM source_writebacks WHERE done_at IS NULL"));
    }

    [Theory]
    [InlineData(null, "hold")]
    [InlineData("trash", "trash")]
    [InlineData("spam", "spam")]
    public async Task A_reject_sets_the_configured_status_and_undo_restores_what_the_site_had(string? rejectAs, string expected)
    {
        if (rejectAs is not null)
        {
            await h.DisposeAsync();
            h = await StartAsync(new() { ["RejectAs"] = rejectAs });
        }
        await InAndScoredAsync();

        await h.Storage.Queue.DecideAsync("2", "reject", "abusive", null, Moderator, false, DateTimeOffset.UtcNow, default);
        await h.WriteBackAsync();
        Assert.Equal(expected, site.StatusOf(2));

        await h.Storage.QueueActions.UndoAsync("2", Moderator, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow, default);
        await h.WriteBackAsync();

        Assert.Equal("approved", site.StatusOf(2));
        Assert.Equal([(2L, expected), (2L, "approved")], site.StatusWrites.Where(w => w.Id == 2));
    }

    [Fact]
    public async Task Approving_a_hidden_comment_approves_it_on_the_site()
    {
        await InAndScoredAsync();
        await h.WriteBackAsync();

        await h.Storage.Queue.DecideAsync("3", "approve", null, null, Moderator, false, DateTimeOffset.UtcNow, default);
        await h.WriteBackAsync();

        Assert.Equal([(3L, "hold"), (3L, "approved")], site.StatusWrites);
    }

    [Fact]
    public async Task A_bulk_reject_reaches_the_site_for_every_comment_it_covers()
    {
        await InAndScoredAsync();
        await h.WriteBackAsync();

        var decided = await h.Storage.QueueActions.DecideAllAsync(new Storage.Queue.BulkFilter("profanity", null), DateTimeOffset.UtcNow, "reject", null, null,
            Moderator, DateTimeOffset.UtcNow, default);
        await h.WriteBackAsync();

        Assert.Equal(2, decided);
        // 3 was hidden (held already): rejected-as-hold changes nothing there; 2 is held now.
        Assert.Equal([(3L, "hold"), (2L, "hold")], site.StatusWrites);
    }

    [Fact]
    public async Task Only_the_latest_of_several_changes_is_sent()
    {
        await InAndScoredAsync();
        await h.Storage.Queue.DecideAsync("2", "reject", null, null, Moderator, false, DateTimeOffset.UtcNow, default);
        await h.Storage.QueueActions.UndoAsync("2", Moderator, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow, default);
        await h.Storage.Queue.DecideAsync("2", "approve", null, null, Moderator, false, DateTimeOffset.UtcNow, default);

        await h.WriteBackAsync();

        // Approved here, approved there: nothing to send for 2. The hide of 3 goes.
        Assert.Equal([(3L, "hold")], site.StatusWrites);
        Assert.Equal(2, await h.CountAsync("SELECT count(*) FROM source_writebacks WHERE comment_id = '2' AND result = 'superseded'"));
    }

    [Fact]
    public async Task A_decision_made_while_the_site_is_down_is_applied_when_it_is_back_even_after_a_restart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await h.DisposeAsync();
        h = await StartAsync(new(), clock);
        await InAndScoredAsync();
        await h.WriteBackAsync();
        h.Settings["Moderation:Connectors:WriteBackRetryDelay"] = "00:01:00";
        h.Settings["Moderation:Connectors:MaxRetries"] = "0";
        await h.RestartAsync();

        site.Down = true;
        await h.Storage.Queue.DecideAsync("2", "reject", null, null, Moderator, false, clock.GetUtcNow(), default);
        Assert.Equal(1, await h.WriteBackAsync());
        Assert.Equal(0, await h.WriteBackAsync()); // backing off: not due yet
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.WriteBackAsync()); // still down: the delay doubles
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await h.WriteBackAsync());
        var source = (await h.SourceAsync())!;
        Assert.Contains("503", source.LastWriteBackError);
        Assert.Equal("approved", site.StatusOf(2));

        site.Down = false;
        await h.RestartAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await h.WriteBackAsync();

        Assert.Equal("hold", site.StatusOf(2));
        Assert.Equal([(3L, "hold"), (2L, "hold")], site.StatusWrites);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'written_back' AND comment_id = '2'"));
    }

    [Fact]
    public async Task A_status_the_service_wrote_is_read_back_without_a_loop()
    {
        await InAndScoredAsync();
        await h.WriteBackAsync();
        await h.Storage.Queue.DecideAsync("2", "reject", null, null, Moderator, false, DateTimeOffset.UtcNow, default);
        await h.WriteBackAsync();

        await h.PollAsync(); // a rescan: reads 2 and 3 back as held
        await h.PollAsync();
        await h.WriteBackAsync();

        Assert.Equal([(3L, "hold"), (2L, "hold")], site.StatusWrites);
        Assert.Equal(("rejected", "hidden"), (await h.StatusAsync("2"), await h.StatusAsync("3")));
        Assert.Equal(0, (await h.SourceAsync())!.StatusChanges);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM audit WHERE action LIKE '%_at_source' OR action = 'site_status_changed'"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM source_writebacks WHERE done_at IS NULL"));
        await h.AssertEachOnceAsync(3);
    }

    [Fact]
    public async Task A_status_the_site_already_has_counts_as_written()
    {
        await InAndScoredAsync();
        site.SetStatus(3, "hold"); // an editor held it in wp-admin before our write arrived: WordPress answers 500 to the same status

        await h.WriteBackAsync();

        Assert.Empty(site.StatusWrites);
        Assert.Equal("hold", (await h.Storage.SiteStatus.GetAsync("3", default))!.WrittenStatus);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM source_writebacks WHERE done_at IS NULL"));
    }

    [Fact]
    public async Task With_write_back_off_the_site_is_never_written_to()
    {
        await h.DisposeAsync();
        h = await StartAsync(new() { ["WriteBack"] = "false" });
        await InAndScoredAsync();
        await h.Storage.Queue.DecideAsync("2", "reject", null, null, Moderator, false, DateTimeOffset.UtcNow, default);

        await h.WriteBackAsync();

        Assert.Empty(site.StatusWrites);
        Assert.Equal(2, await h.CountAsync("SELECT count(*) FROM source_writebacks WHERE result = 'off'"));
    }
}
