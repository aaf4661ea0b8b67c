using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>The reader side: the demo article page and the embeddable report.js button.</summary>
public sealed class ReaderTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    const string OnTopic = "Closing the library on Saturdays will hurt families and students who rely on the branch.";

    static ILocator CommentItem(IPage page, string commentId) => page.Locator($"#comments li[data-comment-id=\"{commentId}\"]");

    static async Task ReportAsync(IPage page, string commentId, string reasonLabel)
    {
        var item = CommentItem(page, commentId);
        await item.GetByRole(AriaRole.Button, new() { Name = "Report comment" }).ClickAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = reasonLabel }).ClickAsync();
        await Assertions.Expect(item.Locator(".mod-report-status")).ToContainTextAsync("Thank you");
    }

    [Fact]
    public async Task Three_readers_reporting_a_comment_hide_it()
    {
        // Every browser context here reports from 127.0.0.1, and the service caps the weight one address can carry
        // (Moderation:Reports:MaxWeightPerAddress, default 2) so an office cannot hide a comment alone. Three real
        // readers come from three addresses; lift the cap so the three contexts count as they would.
        using var app = new LiveApp(new() { ["Moderation:Reports:MaxWeightPerAddress"] = "10" });
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-fine", OnTopic, "Priya");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-target", "Saturday closure of the library is a scandal and the council knows it.", "Troll");
        await app.ScoredAsync("c-fine");
        await app.ScoredAsync("c-target");
        Assert.True(await app.VisibleAsync("c-target"));

        var readers = new List<IBrowserContext>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var (context, page, watch) = await browser.NewPageAsync();
                readers.Add(context);
                await page.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
                await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync(Seed.LibraryTitle);
                await ReportAsync(page, "c-target", i == 2 ? "Spam or advertising" : "Offensive");
                // The same reader again: the button stays "Reported" after a reload (localStorage), so it cannot count twice.
                await page.ReloadAsync();
                await page.WaitForSelectorAsync("body[data-loaded]");
                if (i < 2)
                    await Assertions.Expect(CommentItem(page, "c-target").Locator("button[data-report-comment]")).ToBeDisabledAsync();
                watch.AssertClean();
            }

            var details = await app.CommentAsync("c-target");
            Assert.Equal("hidden", details.GetProperty("status").GetString());
            Assert.Equal(3, details.GetProperty("reports").GetProperty("count").GetInt32());
            Assert.Equal(1, details.GetProperty("reports").GetProperty("byReason").GetProperty("spam").GetInt32());
            Assert.False(await app.VisibleAsync("c-target"));
            Assert.Contains("c-target", await app.QueueIdsAsync());

            // After its reload the third reader no longer sees the comment; the other one is still there.
            var last = readers[^1].Pages[0];
            await Assertions.Expect(CommentItem(last, "c-target")).ToHaveCountAsync(0);
            await Assertions.Expect(CommentItem(last, "c-fine")).ToHaveCountAsync(1);
        }
        finally
        {
            foreach (var r in readers) await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task One_reader_counts_once_even_when_reporting_again_through_the_api()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-once", OnTopic);
        await app.ScoredAsync("c-once");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
        await ReportAsync(page, "c-once", "Off topic");
        var reporterId = await page.EvaluateAsync<string>("() => localStorage.getItem('moderation.reporterId')");
        Assert.False(string.IsNullOrEmpty(reporterId));
        Assert.Equal("[\"c-once\"]", await page.EvaluateAsync<string>("() => localStorage.getItem('moderation.reported')"));

        await app.ReportAsync("c-once", reporterId); // the same reporter id again (e.g. cleared the list but not the id)
        var details = await app.CommentAsync("c-once");
        Assert.Equal(1, details.GetProperty("reports").GetProperty("count").GetInt32());
        Assert.Equal(1, details.GetProperty("reports").GetProperty("byReason").GetProperty("off_topic").GetInt32());
        watch.AssertClean();
    }

    [Fact]
    public async Task Markup_in_a_comment_is_shown_as_text_on_the_demo_page_and_in_the_console()
    {
        const string Evil = "<script>alert(1)</script> Saturday library closure <img src=x onerror=alert(1)> hurts families";
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-evil", Evil, "<b>Mallory</b>");
        await app.ScoredAsync("c-evil");
        Assert.True(await app.VisibleAsync("c-evil"));
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
        var item = CommentItem(page, "c-evil");
        await Assertions.Expect(item.Locator(".comment-text")).ToHaveTextAsync(Evil);
        Assert.Equal("<b>Mallory</b>", await item.Locator(".author").TextContentAsync());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img, #comments script, b').length"));

        // One report puts it in the queue (still shown); the console renders it as text too.
        await ReportAsync(page, "c-evil", "Something else");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-evil"), "c-evil to be queued");
        await page.SignInAsync(app);
        await page.Locator("#queue-list li[data-id=\"c-evil\"]").ClickAsync();
        await Assertions.Expect(page.Locator("#comment-text")).ToHaveTextAsync(Evil);
        await Assertions.Expect(page.Locator("#queue-list li[data-id=\"c-evil\"] .q-excerpt")).ToContainTextAsync("<script>alert(1)</script>");
        await Assertions.Expect(page.Locator("#detail")).ToContainTextAsync("<b>Mallory</b>");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img, #app script, b').length"));
        Assert.Empty(watch.Dialogs);
        watch.AssertClean();
    }

    [Fact]
    public async Task The_embeddable_widget_reports_from_another_site_across_origins()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-w1", OnTopic);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-w2", "The library at Eastgate is where I learned to read; Saturdays matter.");
        await app.ScoredAsync("c-w1");
        await app.ScoredAsync("c-w2");
        var (context, page, watch) = await browser.NewPageAsync(390, 844);
        await using var _ = context;

        // A page on a different origin, with the documented snippet: one auto-inserted button, one of the site's own.
        var host = $$"""
            <!doctype html><html><head><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><title>Someone's blog</title></head><body>
            <div class="c" data-comment-id="c-w1"><p>First comment</p></div>
            <div class="c"><p>Second comment</p><button data-report-comment="c-w2">Report</button></div>
            <script src="{{app.BaseUrl}}/report.js" data-endpoint="{{app.BaseUrl}}" defer></script>
            </body></html>
            """;
        using var blog = new ForeignSite(host);
        await page.GotoAsync(blog.Url);

        await page.GetByRole(AriaRole.Button, new() { Name = "Report comment" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Abusive or harassing" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-comment-id=c-w1] .mod-report-status")).ToContainTextAsync("Thank you");

        await page.GetByRole(AriaRole.Button, new() { Name = "Report", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Spam or advertising" }).ClickAsync();
        await Assertions.Expect(page.Locator("button[data-report-comment=c-w2]")).ToHaveTextAsync("Reported");

        Assert.Equal(1, (await app.CommentAsync("c-w1")).GetProperty("reports").GetProperty("byReason").GetProperty("abusive").GetInt32());
        Assert.Equal(1, (await app.CommentAsync("c-w2")).GetProperty("reports").GetProperty("byReason").GetProperty("spam").GetInt32());
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.querySelectorAll('link[href$=\"/report.css\"]').length"));
        watch.AssertClean();
    }

    [Fact]
    public async Task The_demo_page_fits_a_phone_screen()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-long", string.Concat(Enumerable.Repeat("Saturdaylibraryclosure", 12)) + " " + OnTopic, "Alex");
        await app.ScoredAsync("c-long");
        var (context, page, watch) = await browser.NewPageAsync(390, 844);
        await using var _ = context;

        await page.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
        await page.WaitForSelectorAsync("body[data-loaded]");
        await CommentItem(page, "c-long").GetByRole(AriaRole.Button, new() { Name = "Report comment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Offensive" })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at 390px");
        var box = await page.GetByRole(AriaRole.Button, new() { Name = "Offensive" }).BoundingBoxAsync();
        Assert.True(box!.Height >= 36, "tap targets are at least 36px tall");
        watch.AssertClean();
    }
}
