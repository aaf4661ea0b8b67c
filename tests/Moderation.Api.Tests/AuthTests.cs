using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class AuthTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    /// <summary>Every route of the contract with the roles that may use it (admin may use all).</summary>
    public static TheoryData<string, string, string, string> Routes => new()
    {
        { "PUT", "/api/articles/a1", """{"title":"t","body":"b"}""", "ingest" },
        { "POST", "/api/articles/a1/comments", """{"commentId":"c9","text":"hello"}""", "ingest" },
        { "GET", "/api/comments/c1", "", "moderator" },
        { "GET", "/api/queue", "", "moderator" },
        { "POST", "/api/queue/c1/decision", """{"action":"approve"}""", "moderator" },
        { "POST", "/api/score", """{"article":{"title":"t","body":"b"},"comments":[{"text":"x"}]}""", "moderator" },
        { "GET", "/api/audit", "", "moderator" },
        { "GET", "/api/keys", "", "admin" },
        { "POST", "/api/keys", """{"name":"n","role":"ingest"}""", "admin" },
    };

    static HttpRequestMessage Request(string method, string url, string body) => new(new HttpMethod(method), url)
    {
        Content = body.Length == 0 ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_admits_its_roles_and_refuses_the_others(string method, string url, string body, string role)
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "A comment about bike lanes");
        var keys = new Dictionary<string, string>
        {
            ["moderator"] = await app.KeyFor("moderator"),
            ["ingest"] = await app.KeyFor("ingest"),
        };

        var none = await app.Client(key: null).SendAsync(Request(method, url, body));
        await none.AssertProblem(HttpStatusCode.Unauthorized);
        var wrong = await app.Client("mk_not-a-real-key").SendAsync(Request(method, url, body));
        await wrong.AssertProblem(HttpStatusCode.Unauthorized);

        foreach (var (name, key) in keys)
        {
            var response = await app.Client(key).SendAsync(Request(method, url, body));
            if (name == role) AssertAdmitted(response, name);
            else await response.AssertProblem(HttpStatusCode.Forbidden);
        }
        AssertAdmitted(await admin.SendAsync(Request(method, url, body)), "admin");
    }

    /// <summary>Past authorization: a success, or 409 where an earlier key in the loop already decided the comment.</summary>
    static void AssertAdmitted(HttpResponseMessage response, string who)
    {
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict,
            $"{who} on {response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_revoked_key_stops_working()
    {
        var admin = app.Client();
        var created = await (await admin.PostAsJsonAsync("/api/keys", new { name = "temp", role = "moderator" })).Json();
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await app.Client(key).GetAsync("/api/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{created.GetProperty("keyId").GetString()}")).StatusCode);
        await (await app.Client(key).GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Listed_keys_never_show_the_key_itself()
    {
        var admin = app.Client();
        var key = await app.KeyFor("ingest");
        var listing = await (await admin.GetAsync("/api/keys")).Content.ReadAsStringAsync();
        Assert.Contains("ingest key", listing);
        Assert.DoesNotContain(key, listing);
    }

    [Fact]
    public async Task Without_a_configured_key_the_service_writes_one_readable_by_its_owner_only()
    {
        using var generated = new TestApp(new() { ["Moderation:Auth:AdminKey"] = null });
        var keyFile = Path.Combine(generated.Folder, "admin.key");
        _ = generated.Client(key: null);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var key = File.ReadAllText(keyFile).Trim();
        Assert.Equal(HttpStatusCode.OK, (await generated.Client(key).GetAsync("/api/queue")).StatusCode);
    }
}
