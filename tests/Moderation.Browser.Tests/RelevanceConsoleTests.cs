using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>Short off-topic comments are not flagged by default (issue 14); the console still shows where they are.</summary>
public sealed class RelevanceConsoleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task From_a_flagged_comment_a_moderator_lists_the_article_s_comments_least_relevant_first_and_opens_one()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-rude", "Closing the library on Saturdays is a shit decision", "Dave");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-plumber", "Does anyone know a good plumber near the station? My kitchen tap drips.", "Eve");
        await app.PostCommentAsync(Seed.LibraryArticle, "c-kids", "Saturday reading groups at Eastgate library are the highlight of my kids' week.", "Fay");
        foreach (var id in new[] { "c-plumber", "c-kids" }) await app.ScoredAsync(id);
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-rude"), "c-rude to be queued");
        Assert.DoesNotContain("c-plumber", await app.QueueIdsAsync());   // short off-topic: not flagged by default

        var (context, page, _) = await browser.NewPageAsync();
        await using var __ = context;
        await page.SignInAsync(app);
        await page.Locator("#queue-list li[data-id=\"c-rude\"]").ClickAsync();

        await page.ClickAsync("#show-by-relevance");
        var items = page.Locator("#by-relevance li");
        await Assertions.Expect(items).ToHaveCountAsync(3);
        await Assertions.Expect(items.First).ToHaveAttributeAsync("data-id", "c-plumber");
        await Assertions.Expect(items.First).ToContainTextAsync("plumber");

        await items.First.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#detail h2 code")).ToHaveTextAsync("c-plumber");
        await Assertions.Expect(page.Locator("#detail")).ToContainTextAsync("Relevance");
    }
}
