using System.Text.Json;
using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>The moderator console at /admin, driven by keyboard as a moderator would.</summary>
public sealed class ConsoleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    static ILocator Row(IPage page, string commentId) => page.Locator($"#queue-list li[data-id=\"{commentId}\"]");

    [Fact]
    public async Task A_comment_with_links_shows_where_they_go()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        // As the WordPress connector stores <a href="http://cheap-watches.example/deals">my store</a>.
        await app.PostCommentAsync(Seed.LibraryArticle, "c-link", "Fucking great deals at my store (http://cheap-watches.example/deals) today", "Spammer");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-link"), "c-link to be queued");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.SignInAsync(app);
        await Row(page, "c-link").ClickAsync();

        await Assertions.Expect(page.Locator("#comment-links .link-target")).ToHaveTextAsync("http://cheap-watches.example/deals");
        await Assertions.Expect(page.Locator("#comment-links a")).ToHaveCountAsync(0); // text, not a live link
        watch.AssertClean();
    }

    [Fact]
    public async Task Flagged_comment_shows_its_profanity_highlighted_and_approving_with_a_key_takes_it_off_the_queue()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-rude", "This is a fucking disgrace", "Dave");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-rude"), "c-rude to be queued");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.SignInAsync(app);
        Assert.EndsWith("/admin/", page.Url); // /admin redirects to the console
        await Row(page, "c-rude").ClickAsync();
        var mark = page.Locator("#comment-text mark");
        await Assertions.Expect(mark).ToHaveCountAsync(1);
        await Assertions.Expect(mark).ToHaveTextAsync("fucking");
        Assert.Equal("This is a fucking disgrace", await page.Locator("#comment-text").TextContentAsync());
        await Assertions.Expect(Row(page, "c-rude").Locator(".chip.reason-profanity")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("a");

        await Assertions.Expect(Row(page, "c-rude")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#toast")).ToContainTextAsync("Approved");
        Assert.Equal("approved", (await app.CommentAsync("c-rude")).GetProperty("status").GetString());
        Assert.DoesNotContain("c-rude", await app.QueueIdsAsync());
        watch.AssertClean();
    }

    [Fact]
    public async Task Reject_picks_a_reason_by_number_and_u_undoes_it()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-one", "Shit decision by the council on the library", "Ann");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-two", "The council are a bunch of bastards", "Bob");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Count == 2, "two comments to be queued");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;
        await page.SignInAsync(app);

        await Assertions.Expect(page.Locator("#queue-list li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#queue-list li.selected")).ToHaveCountAsync(1); // the first is selected
        await page.Keyboard.PressAsync("j");
        var second = await page.Locator("#queue-list li").Nth(1).GetAttributeAsync("data-id");
        await Assertions.Expect(page.Locator("#queue-list li.selected")).ToHaveAttributeAsync("data-id", second!);
        await Assertions.Expect(page.Locator("#detail h2 code")).ToHaveTextAsync(second!);

        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(page.Locator("#reject-dialog")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("2"); // abusive
        await Assertions.Expect(Row(page, second!)).ToHaveCountAsync(0);
        var decided = await app.CommentAsync(second!);
        Assert.Equal("rejected", decided.GetProperty("status").GetString());

        await page.Keyboard.PressAsync("u");
        await Assertions.Expect(Row(page, second!)).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#queue-list li.selected")).ToHaveAttributeAsync("data-id", second!);
        Assert.Contains((await app.CommentAsync(second!)).GetProperty("status").GetString(), new[] { "pending", "hidden" });

        // Arrows and Enter work in the picker too; the audit trail records the reason code.
        await page.Keyboard.PressAsync("r");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter"); // spam
        await Assertions.Expect(Row(page, second!)).ToHaveCountAsync(0);
        Assert.Equal("rejected", (await app.CommentAsync(second!)).GetProperty("status").GetString());
        await page.Keyboard.PressAsync("g");
        await page.Keyboard.PressAsync("a");
        await Assertions.Expect(page.Locator("#audit-rows")).ToContainTextAsync(second!);
        await Assertions.Expect(page.Locator("#audit-rows")).ToContainTextAsync("spam");
        watch.AssertClean();
    }

    [Fact]
    public async Task Bulk_approve_asks_with_the_count_then_clears_the_filtered_set()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PutArticleAsync("other-article", "Council tax to rise", "Council tax will rise by five percent next year.");
        for (var i = 1; i <= 3; i++) await app.PostCommentAsync(Seed.LibraryArticle, $"c-lib-{i}", $"Shit number {i} about the library closure");
        await app.PostCommentAsync("other-article", "c-other", "Shit, council tax again");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Count == 4, "four comments to be queued");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;
        await page.SignInAsync(app);
        await Assertions.Expect(page.Locator("#queue-list li")).ToHaveCountAsync(4);

        await page.FillAsync("#f-article", Seed.LibraryArticle);
        await page.PressAsync("#f-article", "Enter");
        await Assertions.Expect(page.Locator("#queue-list li")).ToHaveCountAsync(3);
        await page.ClickAsync("#bulk-approve");
        await Assertions.Expect(page.Locator("#confirm-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#confirm-title")).ToContainTextAsync("Approve 3 pending comments");
        await page.ClickAsync("#confirm-ok");

        await Assertions.Expect(page.Locator("#queue-list li")).ToHaveCountAsync(0);
        Assert.Equal(["c-other"], await app.QueueIdsAsync());
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        watch.AssertClean();
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_stats_show_the_pending_count()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-x", "What a load of shit");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Count == 1, "one comment to be queued");
        var (context, page, _) = await browser.NewPageAsync();
        await using var __ = context;

        await page.GotoAsync(app.Url("/admin/"));
        await page.FillAsync("#key", "not-a-real-key");
        await page.PressAsync("#key", "Enter");
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("not recognised");
        Assert.True(await page.Locator("#app").IsHiddenAsync());

        await page.FillAsync("#key", LiveApp.AdminKey);
        await page.PressAsync("#key", "Enter");
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        await page.ClickAsync("nav [data-view=stats]");
        await Assertions.Expect(page.Locator("#stats .stat-value").First).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#stats")).ToContainTextAsync("Profanity");

        // The key survives a reload in the same tab (sessionStorage) and is gone after signing out.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#app:not([hidden])");
        await page.ClickAsync("#signout");
        await page.WaitForSelectorAsync("#signin:not([hidden])");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('moderation.key')"));
    }
}
