using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Sources;

/// <summary>
/// The service against a real WordPress (Debian's wordpress, mariadb-server, php-mysql and php-cli packages, which
/// .ci/run installs): <c>scripts/wordpress-real.sh</c> starts a private MariaDB and <c>php -S</c> in a temp folder with a
/// post, a page, comments (one held, with a link) and an Editor's application password. What the fake site in
/// <see cref="WordPressTwoWayTests"/> cannot prove: WordPress's own REST answers to our reads and status writes.
/// </summary>
public sealed class RealWordPressTests : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "moderation-wp-" + Guid.NewGuid().ToString("N")[..8]);
    Dictionary<string, string> site = null!;
    HttpClient wordpress = null!;
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        site = await StartSiteAsync(folder);
        wordpress = new HttpClient { BaseAddress = new Uri(site["WP_URL"] + "/wp-json/wp/v2/") };
        wordpress.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{site["WP_USER"]}:{site["WP_APP_PASSWORD"]}")));
        app = new TestApp(new()
        {
            ["Moderation:Sources:0:Type"] = "wordpress",
            ["Moderation:Sources:0:Name"] = "real",
            ["Moderation:Sources:0:Url"] = site["WP_URL"],
            ["Moderation:Sources:0:User"] = site["WP_USER"],
            ["Moderation:Sources:0:AppPassword"] = site["WP_APP_PASSWORD"],
            ["Moderation:Sources:0:RejectAs"] = "trash",
            ["Moderation:Sources:0:PollInterval"] = "00:00:00.200",
            ["Moderation:Sources:0:RescanInterval"] = "00:00:00.200",
            ["Moderation:Connectors:WriteBackPollInterval"] = "00:00:00.100",
            ["Moderation:Relevance:Embeddings"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        app?.Dispose();
        wordpress?.Dispose();
        await RunScriptAsync("stop", folder);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Comments_on_posts_and_pages_arrive_with_links_and_the_sites_hold_and_a_moderators_reject_and_undo_reach_the_site()
    {
        var admin = app.Client();
        string post = site["WP_POST"], page = site["WP_PAGE"], held = site["WP_HELD"];
        var onSite = await SiteCommentsAsync();
        var onPage = onSite.Single(c => c.GetProperty("post").GetInt32().ToString() == page).GetProperty("id").GetInt32().ToString();
        var first = onSite.Single(c => c.GetProperty("post").GetInt32().ToString() == post && c.GetProperty("parent").GetInt32() == 0
                                       && c.GetProperty("status").GetString() == "approved").GetProperty("id").GetInt32().ToString();
        var reply = onSite.Single(c => c.GetProperty("parent").GetInt32().ToString() == first).GetProperty("id").GetInt32().ToString();

        foreach (var id in new[] { first, reply, onPage, held }) await app.Client().WaitPolledAndScored(id);

        // A Page's comment is not lost; a reply keeps its parent; the held spam keeps where its link goes, and stays unseen.
        Assert.Equal(page, (await admin.GetJson($"/api/comments/{onPage}")).GetProperty("articleId").GetString());
        Assert.Equal(first, (await admin.GetJson($"/api/comments/{reply}")).GetProperty("parentId").GetString());
        var spam = await admin.GetJson($"/api/comments/{held}");
        Assert.Contains("http://cheap-watches.example/deals", spam.GetProperty("text").GetString());
        Assert.False(await VisibleAsync(held));
        Assert.True(await VisibleAsync(first));
        var source = (await admin.GetJson("/api/sources")).GetProperty("items")[0];
        Assert.True(source.GetProperty("authenticated").GetBoolean(), "WordPress accepted the application password");

        // A moderator's reject trashes it on the site (RejectAs = trash); the undo approves it again. Read back, no loop.
        var moderator = app.Client(await app.KeyFor("moderator"));
        var reject = await moderator.PostAsJsonAsync($"/api/queue/{first}/decision", new { action = "reject", reasonCode = "irrelevant_content" });
        Assert.True(reject.IsSuccessStatusCode, await reject.Content.ReadAsStringAsync());
        await Fixtures.Eventually(async () => await SiteStatusAsync(first) == "trash", "the reject to reach WordPress");
        var undo = await moderator.PostAsync($"/api/queue/{first}/undo", null);
        Assert.True(undo.IsSuccessStatusCode, await undo.Content.ReadAsStringAsync());
        await Fixtures.Eventually(async () => await SiteStatusAsync(first) == "approved", "the undo to reach WordPress");
        await Fixtures.Eventually(async () => (await admin.GetJson($"/api/comments/{first}")).GetProperty("source").GetProperty("siteStatus").GetString() == "approved",
            "the rescan to read the site's status back");
        Assert.True(await VisibleAsync(first));
        // The site answers before the dispatcher has recorded its write as done: wait for the count, then hold it.
        async Task<(int Done, int Pending)> WriteBacks()
        {
            var s = (await admin.GetJson("/api/sources")).GetProperty("items")[0];
            return (s.GetProperty("writeBacks").GetInt32(), s.GetProperty("writeBacksPending").GetInt32());
        }
        await Fixtures.Eventually(async () => await WriteBacks() == (2, 0), "both write-backs to be recorded");
        await Task.Delay(1000);   // several rescans later, reading our own writes back has sent nothing more
        Assert.Equal((2, 0), await WriteBacks());
    }

    [Fact]
    public async Task Spam_marked_on_the_site_leaves_the_queue_here()
    {
        var onSite = await SiteCommentsAsync();
        var onPage = onSite.Single(c => c.GetProperty("post").GetInt32().ToString() == site["WP_PAGE"]).GetProperty("id").GetInt32().ToString();
        await app.Client().WaitPolledAndScored(onPage);

        var marked = await wordpress.PostAsJsonAsync($"comments/{onPage}", new { status = "spam" });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);

        var admin = app.Client();
        await Fixtures.Eventually(async () => (await admin.GetJson($"/api/comments/{onPage}")).GetProperty("status").GetString() == "removed_at_source",
            "the site's spam to be read");
        Assert.False(await VisibleAsync(onPage));
        Assert.Equal(0, (await admin.GetJson("/api/sources")).GetProperty("items")[0].GetProperty("writeBacks").GetInt32());
    }

    async Task<List<JsonElement>> SiteCommentsAsync()
    {
        var all = new List<JsonElement>();
        foreach (var status in new[] { "approve", "hold" })   // WordPress filters by its internal names (approve, not approved)
            all.AddRange((await wordpress.GetFromJsonAsync<JsonElement>($"comments?status={status}&context=edit&per_page=100")).EnumerateArray());
        return all;
    }

    async Task<string?> SiteStatusAsync(string id) =>
        (await wordpress.GetFromJsonAsync<JsonElement>($"comments/{id}?context=edit")).GetProperty("status").GetString();

    async Task<bool> VisibleAsync(string id) =>
        (await app.Reader("203.0.113.7").GetJson($"/api/comments/{id}/visibility")).GetProperty("visible").GetBoolean();

    static async Task<Dictionary<string, string>> StartSiteAsync(string folder)
    {
        var (code, output) = await RunScriptAsync("start", folder);
        Assert.True(code == 0, $"scripts/wordpress-real.sh start failed ({code}): {output}\n" +
            "The real-WordPress tests need Debian's wordpress, mariadb-server, php-mysql and php-cli (`.ci/run` installs them).");
        return File.ReadAllLines(Path.Combine(folder, "env"))
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
    }

    static async Task<(int Code, string Output)> RunScriptAsync(string command, string folder)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "wordpress-real.sh");
        var start = new ProcessStartInfo("bash", [script, command, folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Moderation.sln not found above " + AppContext.BaseDirectory);
    }
}
