using Microsoft.Playwright;

namespace Moderation.Browser.Tests.Infrastructure;

public static class ConsoleSignIn
{
    /// <summary>Opens the console and signs in with the admin key, as a moderator types it; returns once the app shows.</summary>
    public static async Task SignInAsync(this IPage page, LiveApp app)
    {
        await page.GotoAsync(app.Url("/admin"));
        await page.FillAsync("#key", LiveApp.AdminKey);
        await page.PressAsync("#key", "Enter");
        await page.WaitForSelectorAsync("#app:not([hidden])");
    }
}
