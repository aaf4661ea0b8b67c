using static Moderation.Worker.Tests.Connectors.FakeWordPress;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>Comments on Pages and custom post types reach their article; a post that cannot be read is counted, not asked per comment.</summary>
public sealed class WordPressPostTypesTests : IAsyncLifetime
{
    static readonly DateTime Start = DateTime.UtcNow.AddHours(-3).Date.AddHours(DateTime.UtcNow.AddHours(-3).Hour);
    FakeWordPress site = null!;
    ConnectorHarness h = null!;

    public async Task InitializeAsync()
    {
        site = await FakeWordPress.StartAsync();
        site.Types["event"] = "events";
        site.AddPost(1, "Council approves bike lanes", "<p>The council voted.</p>");
        site.AddPost(2, "About the Courier", "<p>We are a local paper.</p>", type: "page");
        site.AddPost(3, "Bike-to-work day", "<p>Join us on Friday.</p>", type: "event");
        h = new ConnectorHarness("wordpress", site.Url);
        await h.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        await site.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Comments_on_a_page_and_a_custom_type_come_in_with_their_article(bool linksNameTheType)
    {
        site.LinkPostTypes = linksNameTheType;
        site.Add(new Comment(10, 1, Start.AddMinutes(1), "On a post"), new Comment(11, 2, Start.AddMinutes(2), "On a page"),
            new Comment(12, 3, Start.AddMinutes(3), "On an event"), new Comment(13, 2, Start.AddMinutes(4), "On the page again"));

        var result = await h.PollAsync();

        Assert.Null(result.Error);
        await h.AssertEachOnceAsync(4);
        Assert.Equal("About the Courier", (await h.Storage.Articles.GetAsync("2", default))!.Title);
        Assert.Equal("Bike-to-work day", (await h.Storage.Articles.GetAsync("3", default))!.Title);
        Assert.Contains("pages/2", site.PostRequests);
        Assert.Contains("events/3", site.PostRequests);
        if (linksNameTheType) Assert.Equal(["posts/1", "pages/2", "events/3"], site.PostRequests); // straight to the right REST base
        Assert.Equal(0, (await h.SourceAsync())!.Skipped);
    }

    [Fact]
    public async Task A_post_that_cannot_be_read_is_counted_and_shown_and_asked_again_only_after_its_backoff()
    {
        site.HiddenTypes.Add("event");
        site.Add(new Comment(20, 3, Start.AddMinutes(1), "First on a hidden event"), new Comment(21, 3, Start.AddMinutes(2), "Second"),
            new Comment(22, 3, Start.AddMinutes(3), "Third"), new Comment(23, 1, Start.AddMinutes(4), "On a post"));

        var first = await h.PollAsync();

        Assert.Equal((1, 3), (first.Ingested, first.Skipped));
        Assert.Equal(1, site.PostRequests.Count(r => r.EndsWith("/3", StringComparison.Ordinal))); // once, not once per comment
        var source = (await h.SourceAsync())!;
        Assert.Equal(3, source.Skipped);
        Assert.Contains("events/3 answered 404", source.LastSkipReason);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM source_posts WHERE post_id = 3"));

        site.Add(new Comment(24, 3, Start.AddMinutes(5), "Fourth"));
        await h.PollAsync();

        Assert.Equal(1, site.PostRequests.Count(r => r.EndsWith("/3", StringComparison.Ordinal))); // within the backoff: not asked
        Assert.Equal(4, (await h.SourceAsync())!.Skipped);
    }

    [Fact]
    public async Task An_edited_headline_is_picked_up_by_the_rescan()
    {
        await h.DisposeAsync();
        h = new ConnectorHarness("wordpress", site.Url, new() { ["RescanInterval"] = "00:00:00.001" });
        await h.InitializeAsync();
        site.Add(new Comment(30, 2, Start.AddMinutes(1), "On a page"));
        await h.PollAsync();

        site.AddPost(2, "About the Courier, since 1887", "<p>We are a local paper.</p>", type: "page");
        await h.PollAsync();

        Assert.Equal("About the Courier, since 1887", (await h.Storage.Articles.GetAsync("2", default))!.Title);
        Assert.Equal(0, (await h.SourceAsync())!.CommentsEdited);
        Assert.Equal(1, (await h.SourceAsync())!.CommentsIngested);
    }
}
