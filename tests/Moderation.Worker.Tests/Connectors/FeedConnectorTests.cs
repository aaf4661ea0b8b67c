using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>The JSON feed connector against a feed on loopback that pages by an opaque cursor, in the shape docs/CONNECTORS.md documents.</summary>
public sealed class FeedConnectorTests : IAsyncLifetime
{
    readonly List<object> comments = [];
    readonly List<string?> cursorsAsked = [];
    WebApplication feed = null!;
    ConnectorHarness h = null!;
    // Every page after the first is malformed while this is set. Not "once": under load the 300 ms attempt
    // time-out can retry a request whose first try already got the malformed answer, and the retry must see it too.
    volatile bool malformed;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        feed = builder.Build();
        feed.MapGet("/comments", (HttpContext http) =>
        {
            var cursor = http.Request.Query["cursor"].FirstOrDefault();
            var limit = int.Parse(http.Request.Query["limit"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
            lock (comments) cursorsAsked.Add(cursor);
            if (malformed && cursor is not null) return Results.Text("{\"comments\": [", "application/json");
            // The cursor is "pos-N", opaque to the connector.
            var from = cursor is null ? 0 : int.Parse(cursor[4..], CultureInfo.InvariantCulture);
            lock (comments)
            {
                var page = comments.Skip(from).Take(limit).ToList();
                var next = from + page.Count;
                return Results.Json(new
                {
                    articles = new[] { new { articleId = "a1", title = "Bike lanes", body = "The council voted for bike lanes." } },
                    comments = page,
                    nextCursor = $"pos-{next}",
                    hasMore = next < comments.Count,
                });
            }
        });
        await feed.StartAsync();
        h = new ConnectorHarness("feed", new Uri(feed.Urls.First() + "/comments"), new() { ["IdPrefix"] = "feed:" });
        await h.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        await feed.DisposeAsync();
    }

    void Add(int from, int to)
    {
        lock (comments)
            comments.AddRange(Enumerable.Range(from, to - from + 1).Select(i => (object)new { commentId = $"c{i}", articleId = "a1", text = $"Comment {i}", authorName = "Reader" }));
    }

    [Fact]
    public async Task A_feed_is_read_page_by_page_and_its_cursor_kept_for_the_next_poll()
    {
        Add(1, 25);

        var first = await h.PollAsync();

        Assert.Equal(25, first.Ingested);
        Assert.Equal([null, "pos-10", "pos-20"], cursorsAsked);
        Assert.Equal("pos-25", (await h.SourceAsync())!.Cursor);
        Assert.Equal("feed:a1", (await h.Storage.Comments.GetAsync("feed:c7", default))!.ArticleId);

        Add(26, 27);
        var second = await h.PollAsync();

        Assert.Equal(2, second.Ingested);
        Assert.Equal("pos-25", cursorsAsked[3]);
        await h.AssertEachOnceAsync(27);
    }

    [Fact]
    public async Task A_comment_sent_again_with_new_text_counts_as_an_edit_not_a_new_comment()
    {
        Add(1, 3);
        await h.PollAsync();
        lock (comments) comments.Add(new { commentId = "c2", articleId = "a1", text = "Comment 2, edited", authorName = "Reader" });

        await h.PollAsync();

        var source = (await h.SourceAsync())!;
        Assert.Equal((3, 1), (source.CommentsIngested, source.CommentsEdited));
    }

    [Fact]
    public async Task A_feed_with_credentials_is_authenticated_once_it_answered_them()
    {
        Add(1, 2);
        var url = new Uri(feed.Urls.First() + "/comments");
        await using var withPassword = new ConnectorHarness("feed", url, new() { ["User"] = "svc", ["AppPassword"] = "secret" });
        await withPassword.InitializeAsync();
        Assert.Null((await withPassword.SourceAsync())?.AuthenticatedAt);

        await withPassword.PollAsync();

        Assert.NotNull((await withPassword.SourceAsync())!.AuthenticatedAt);
        await h.PollAsync();
        Assert.Null((await h.SourceAsync())!.AuthenticatedAt); // no credentials: nothing to accept
    }

    [Fact]
    public async Task A_malformed_page_stops_the_poll_without_moving_the_cursor()
    {
        Add(1, 25);
        malformed = true;

        var first = await h.PollAsync();

        Assert.Contains("malformed", first.Error);
        Assert.Equal("pos-10", (await h.SourceAsync())!.Cursor);
        Assert.Equal(10, await h.CountAsync("SELECT count(*) FROM comments"));

        malformed = false;
        await h.PollAsync();
        await h.AssertEachOnceAsync(25);
    }
}
