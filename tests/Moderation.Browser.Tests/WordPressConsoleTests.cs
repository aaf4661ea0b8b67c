using Microsoft.Playwright;
using Moderation.Browser.Tests.Infrastructure;
using Moderation.Worker.Tests.Connectors;

namespace Moderation.Browser.Tests;

/// <summary>A comment pulled from a WordPress site, as a moderator sees it in the console.</summary>
public sealed class WordPressConsoleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_pulled_comment_shows_where_its_links_go_and_how_it_stands_on_the_site()
    {
        await using var site = await FakeWordPress.StartAsync();
        site.Credentials = ("moderation-bot", "abcd efgh ijkl mnop");
        site.AddPost(5, "Council approves bike lanes", "<p>The council voted 7&ndash;2 for bike lanes on Main Street.</p>");
        site.Add(new FakeWordPress.Comment(50, 5, DateTime.UtcNow.AddMinutes(-5),
            "<p>Fucking cheap watches at <a href=\"http://cheap-watches.example/deals\" rel=\"nofollow ugc\">my store</a></p>", Status: "hold"));
        using var app = new LiveApp(new()
        {
            ["Moderation:Sources:0:Type"] = "wordpress",
            ["Moderation:Sources:0:Name"] = "courier",
            ["Moderation:Sources:0:Url"] = site.Url.ToString(),
            ["Moderation:Sources:0:User"] = "moderation-bot",
            ["Moderation:Sources:0:AppPassword"] = "abcd efgh ijkl mnop",
            ["Moderation:Sources:0:PollInterval"] = "00:00:00.200",
            ["Moderation:Relevance:Embeddings"] = "false",
        });
        await Wait.UntilAsync(async () => (await app.QueueIdsAsync()).Contains("50"), "comment 50 to be pulled and queued");
        var (context, page, watch) = await browser.NewPageAsync();
        await using var _ = context;

        await page.SignInAsync(app);
        await page.Locator("#queue-list li[data-id=\"50\"]").ClickAsync();

        await Assertions.Expect(page.Locator("#comment-text")).ToContainTextAsync("my store (http://cheap-watches.example/deals)");
        await Assertions.Expect(page.Locator("#comment-links .link-target")).ToHaveTextAsync("http://cheap-watches.example/deals");
        await Assertions.Expect(page.Locator("#site-status")).ToHaveTextAsync("on courier: held");
        watch.AssertClean();
    }
}
