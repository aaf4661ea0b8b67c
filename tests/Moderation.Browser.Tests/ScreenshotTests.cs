using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>
/// Fills a realistic queue and photographs the console and the demo page. The pictures always go to the test
/// output folder; with MODERATION_SCREENSHOTS=1 they also replace docs/screenshots/*.png in the repository.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    const string Rant =
        "Nobody is talking about the real problem in this country which is the price of petrol. I drove to the coast last weekend " +
        "and paid nearly two pounds a litre, which is daylight robbery, and the government does nothing while the oil companies post " +
        "record profits every quarter. When I was young you could fill the tank for a tenner and still have change for chips. " +
        "Electric cars are no answer either because the batteries cost a fortune, the chargers never work, and the whole thing is " +
        "a scheme to make ordinary drivers pay more. Someone should stand up for motorists for once.";

    [Fact]
    public async Task Console_and_demo_page()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1001", "Closing on Saturdays is the only day my kids can go. Please reconsider.", "Priya N.");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1002", "This is a fucking disgrace. The council wastes money on consultants and then shuts the library.", "Dave");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1003", Rant, "Motorist77");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1004", "Typical of this council. Bunch of useless bastards, the lot of them.", "Gary");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1005", "Longer weekday hours until eight would actually suit working parents better.", "Sam");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1006", "Buy cheap watches at my shop!!! Saturday library closure sale, best prices", "promo");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-1007", "<script>alert('hi')</script> the library closure is <b>bad</b>", "<i>tester</i>");
        foreach (var id in new[] { "c-1001", "c-1002", "c-1003", "c-1004", "c-1005", "c-1006", "c-1007" }) await app.ScoredAsync(id);
        await app.ReportAsync("c-1006", "reader-a", "spam");
        await app.ReportAsync("c-1006", "reader-b", "spam");
        await app.ReportAsync("c-1002", "reader-c", "offensive");
        await app.ReportAsync("c-1007", "reader-d", "other");

        // The console, with the rude comment selected.
        var (context, page, watch) = await browser.NewPageAsync(1360, 860);
        await using (context)
        {
            await page.GotoAsync(app.Url("/admin/"));
            await page.FillAsync("#key", LiveApp.AdminKey);
            await page.PressAsync("#key", "Enter");
            await page.Locator("#queue-list li[data-id=\"c-1002\"]").ClickAsync();
            await Assertions.Expect(page.Locator("#comment-text mark")).ToHaveTextAsync("fucking");
            await Assertions.Expect(page.Locator("#detail .reports-block")).ToContainTextAsync("Offensive");
            await page.Locator("#queue-list").FocusAsync();
            await Save(page, "console.png");

            await page.Locator("#queue-list li[data-id=\"c-1003\"]").ClickAsync();
            await Assertions.Expect(page.Locator("#detail .offtopic .article-title")).ToHaveTextAsync(Seed.LibraryTitle);
            await Assertions.Expect(page.Locator("#detail")).Not.ToContainTextAsync("null");
            await Save(page, "console-offtopic.png");

            await page.Keyboard.PressAsync("r");
            await Assertions.Expect(page.Locator("#reject-dialog")).ToBeVisibleAsync();
            await Save(page, "console-reject.png");
            await page.Keyboard.PressAsync("Escape");

            await page.Keyboard.PressAsync("a");
            await Assertions.Expect(page.Locator("#toast")).ToBeVisibleAsync();
            await page.ClickAsync("nav [data-view=stats]");
            await Assertions.Expect(page.Locator("#stats .stats-grid")).ToBeVisibleAsync();
            await Save(page, "console-stats.png");
            await page.Keyboard.PressAsync("g");
            await page.Keyboard.PressAsync("a");
            await Assertions.Expect(page.Locator("#audit-rows")).ToContainTextAsync("c-1003");
            await Save(page, "console-audit.png");
            watch.AssertClean();
        }

        // The reader's page on a desktop, and on a phone with the reason picker open.
        var (desk, deskPage, deskWatch) = await browser.NewPageAsync(1100, 900);
        await using (desk)
        {
            await deskPage.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
            await deskPage.WaitForSelectorAsync("body[data-loaded]");
            await Assertions.Expect(deskPage.Locator("#comments li[data-comment-id=\"c-1001\"] button")).ToBeVisibleAsync();
            await Save(deskPage, "demo.png", fullPage: true);
            deskWatch.AssertClean();
        }
        var (phone, phonePage, phoneWatch) = await browser.NewPageAsync(390, 844);
        await using (phone)
        {
            await phonePage.GotoAsync(app.Url($"/demo/articles/{Seed.LibraryArticle}"));
            await phonePage.WaitForSelectorAsync("body[data-loaded]");
            var first = phonePage.Locator("#comments li[data-comment-id=\"c-1005\"]");
            await first.GetByRole(AriaRole.Button, new() { Name = "Report comment" }).ClickAsync();
            await first.ScrollIntoViewIfNeededAsync();
            await Save(phonePage, "demo-phone.png");
            phoneWatch.AssertClean();
        }
    }

    static async Task Save(IPage page, string name, bool fullPage = false)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        if (Environment.GetEnvironmentVariable("MODERATION_SCREENSHOTS") == "1" && RepositoryRoot() is { } root)
        {
            var docs = Path.Combine(root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name), overwrite: true);
        }
    }

    static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        return null;
    }
}
