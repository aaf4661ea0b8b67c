using System.Net.Http.Json;
using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>A decided comment whose text the retention purge removed: the console says so instead of showing a blank (docs/OPERATIONS.md, "Retention").</summary>
public sealed class RetentionConsoleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_decided_comment_past_retention_shows_removed_by_retention_in_the_queue_and_the_detail()
    {
        using var app = new LiveApp(new()
        {
            ["Moderation:Retention:DecidedTexts"] = "00:00:00.500",
            ["Moderation:Retention:Interval"] = "00:00:00.200",
        });
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-old", "Shit decision by the council on the library", "Ann");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-old"), "c-old to be queued");
        (await app.Api.PostAsJsonAsync("api/queue/c-old/decision", new { action = "reject" })).EnsureSuccessStatusCode();
        await Wait.UntilAsync(async () => (await app.CommentAsync("c-old")).GetProperty("textRemoved").ValueKind == System.Text.Json.JsonValueKind.String,
            "the purge to remove c-old's text");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.SignInAsync(app);
        await page.Locator("#f-state").SelectOptionAsync("decided");
        var item = page.Locator("#queue-list li[data-id=\"c-old\"]");
        await Assertions.Expect(item.Locator(".q-excerpt")).ToHaveTextAsync("removed by retention");
        await item.ClickAsync();
        await Assertions.Expect(page.Locator("#comment-text")).ToHaveTextAsync("removed by retention");
        await Assertions.Expect(page.Locator("#detail .status-pill")).ToHaveTextAsync("rejected");
        watch.AssertClean();
    }
}
