using System.Net.Http.Json;
using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;

namespace Moderation.Browser.Tests;

/// <summary>
/// The site edits a comment a moderator rejected: the console shows the rejected text beside the new one, words taken
/// out struck through (&lt;del&gt;) and words put in marked (&lt;ins&gt;), all as text (docs/CONSOLE.md, "Edited comments").
/// </summary>
public sealed class EditedCommentTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_rejected_comment_edited_by_the_site_shows_the_rejected_text_beside_the_new_one_with_the_change_marked()
    {
        using var app = new LiveApp();
        await Seed.LibraryAsync(app);
        await app.PostCommentAsync(Seed.LibraryArticle, "c-edit", "Shit decision by the council on the library", "Ann");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-edit"), "c-edit to be queued");
        (await app.Api.PostAsJsonAsync("api/queue/c-edit/decision", new { action = "reject" })).EnsureSuccessStatusCode();
        const string edited = "Poor decision by the council on the library <img src=x onerror=alert(1)>";
        await app.PostCommentAsync(Seed.LibraryArticle, "c-edit", edited, "Ann");
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("c-edit"), "the edit to be queued again");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.SignInAsync(app);
        await page.Locator("#queue-list li[data-id=\"c-edit\"]").ClickAsync();

        var compare = page.Locator("#edit-compare");
        await Assertions.Expect(compare.Locator("h3")).ToHaveTextAsync("Edited after a moderator rejected it");
        await Assertions.Expect(compare.Locator(".compare-decided p")).ToHaveTextAsync("Shit decision by the council on the library");
        await Assertions.Expect(compare.Locator(".compare-decided del")).ToHaveTextAsync("Shit");
        await Assertions.Expect(compare.Locator(".compare-edited p")).ToHaveTextAsync(edited);
        await Assertions.Expect(compare.Locator(".compare-edited ins")).ToHaveTextAsync(["Poor", " <img src=x onerror=alert(1)>"]);
        await Assertions.Expect(page.Locator("#detail img")).ToHaveCountAsync(0);   // the edit's markup stays text
        await Assertions.Expect(page.Locator("#detail .reasons .reason-edited_after_decision")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#detail .status-pill")).ToHaveTextAsync("hidden");
        watch.AssertClean();
    }
}
