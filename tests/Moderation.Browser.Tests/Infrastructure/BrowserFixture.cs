using Microsoft.Playwright;

namespace Moderation.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium per test class: Debian's /usr/bin/chromium driven by Playwright. Playwright never
/// downloads a browser here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; no `playwright install`).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";
    IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : DefaultChromium;
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium not found at {executable}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context (its own storage: one reader or one moderator), failing the test on page errors.</summary>
    public async Task<(IBrowserContext Context, IPage Page, PageWatch Watch)> NewPageAsync(int width = 1360, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return (context, page, new PageWatch(page));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>Records what a page should never do: raise script errors, open dialogs, break the CSP.</summary>
public sealed class PageWatch
{
    public List<string> Errors { get; } = [];
    public List<string> Dialogs { get; } = [];

    public PageWatch(IPage page)
    {
        page.PageError += (_, e) => Errors.Add("pageerror: " + e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error") Errors.Add("console: " + m.Text);
        };
        page.Dialog += async (_, d) =>
        {
            Dialogs.Add(d.Type + ": " + d.Message);
            await d.DismissAsync();
        };
    }

    public void AssertClean()
    {
        Assert.True(Dialogs.Count == 0, "the page opened dialogs: " + string.Join("; ", Dialogs));
        Assert.True(Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", Errors));
    }
}
