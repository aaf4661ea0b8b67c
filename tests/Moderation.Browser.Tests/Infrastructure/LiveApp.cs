using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Moderation.Browser.Tests.Infrastructure;

/// <summary>
/// The real service on Kestrel at 127.0.0.1 on a free port (a browser needs a real socket; TestServer is
/// in-memory), over a real SQLite file in a fresh temporary folder, with the worker running in-process.
/// </summary>
public sealed class LiveApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "browser-test-admin-key-0123456789";
    readonly Dictionary<string, string?> settings;
    HttpClient? http;

    public LiveApp(Dictionary<string, string?>? overrides = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "moderation-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Moderation:Database"] = Path.Combine(Folder, "moderation.db"),
            ["Moderation:Auth:AdminKey"] = AdminKey,
            ["Moderation:Worker:PollInterval"] = "00:00:00.100",
            ["Moderation:Worker:RetryDelay"] = "00:00:00.050",
            ["Moderation:Reports:PerMinute"] = "1000",
        };
        foreach (var (k, v) in overrides ?? []) settings[k] = v;
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)).TrimEnd('/');
    }

    public string Folder { get; }

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; }

    public string Url(string path) => BaseUrl + path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
    }

    /// <summary>A plain HTTP client over the real socket, signed in as admin.</summary>
    public HttpClient Api => http ??= new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", AdminKey) } };

    public async Task PutArticleAsync(string articleId, string title, string body)
    {
        var response = await Api.PutAsJsonAsync($"api/articles/{articleId}", new { title, body });
        response.EnsureSuccessStatusCode();
    }

    public async Task PostCommentAsync(string articleId, string commentId, string text, string? authorName = null)
    {
        var response = await Api.PostAsJsonAsync($"api/articles/{articleId}/comments", new { commentId, text, authorName });
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> CommentAsync(string commentId) =>
        await Api.GetFromJsonAsync<JsonElement>($"api/comments/{Uri.EscapeDataString(commentId)}");

    public async Task<bool> VisibleAsync(string commentId) =>
        (await new HttpClient().GetFromJsonAsync<JsonElement>(Url($"/api/comments/{Uri.EscapeDataString(commentId)}/visibility"))).GetProperty("visible").GetBoolean();

    /// <summary>Waits until the background worker has scored the comment; returns its details.</summary>
    public Task<JsonElement> ScoredAsync(string commentId) =>
        Wait.ForAsync(async () => { var c = await CommentAsync(commentId); return c.GetProperty("status").GetString() == "received" ? (JsonElement?)null : c; },
            $"comment {commentId} to be scored");

    public async Task ReportAsync(string commentId, string reporterId, string reason = "offensive")
    {
        using var anonymous = new HttpClient();
        var response = await anonymous.PostAsJsonAsync(Url($"/api/comments/{Uri.EscapeDataString(commentId)}/reports"), new { reason, reporterId });
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<string>> QueueIdsAsync(string state = "pending")
    {
        var page = await Api.GetFromJsonAsync<JsonElement>($"api/queue?state={state}&limit=200");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("commentId").GetString()!).ToList();
    }

    protected override void Dispose(bool disposing)
    {
        http?.Dispose();
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class Wait
{
    /// <summary>Polls until <paramref name="probe"/> returns a value (never a fixed sleep as the test's assertion).</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, int timeoutMs = 10_000) where T : struct
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000) =>
        await ForAsync<bool>(async () => await condition() ? true : null, what, timeoutMs);
}
