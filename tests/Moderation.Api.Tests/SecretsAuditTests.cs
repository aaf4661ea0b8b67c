using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>Who made or revoked a key or a webhook is in the audit log, without the key, the signing secret or the URL's token.</summary>
public sealed class SecretsAuditTests : IDisposable
{
    // No worker: the webhook below points at a name that must not be looked up in a test.
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Creating_and_revoking_keys_and_webhooks_is_audited_with_the_actor_and_without_secrets()
    {
        var bootstrap = app.Client();
        var created = await (await bootstrap.PostAsJsonAsync("/api/keys", new { name = "second admin", role = "admin" })).Json();
        var (secondId, secondKey) = (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
        var second = app.Client(secondKey);
        var moderator = await (await second.PostAsJsonAsync("/api/keys", new { name = "night shift", role = "moderator" })).Json();
        var moderatorId = moderator.GetProperty("keyId").GetString()!;
        const string hookUrl = "https://hooks.example.com/services/T0001/B0002/token-abc123?sig=xyz";
        var hook = await (await bootstrap.PostAsJsonAsync("/api/webhooks", new { url = hookUrl, events = new[] { "comment.decided" } })).Json();
        var webhookId = hook.GetProperty("webhookId").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await second.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await bootstrap.DeleteAsync($"/api/keys/{moderatorId}")).StatusCode);
        // Revoking again changes nothing and audits nothing.
        await (await bootstrap.DeleteAsync($"/api/keys/{moderatorId}")).AssertProblem(HttpStatusCode.NotFound);

        var audit = await bootstrap.GetJson("/api/audit");
        var entries = audit.GetProperty("items").EnumerateArray().Reverse().Select(e => (
            Actor: e.GetProperty("actor").GetString(), Action: e.GetProperty("action").GetString(), Detail: e.GetProperty("detail"))).ToList();
        Assert.Equal(
            [("admin", "key_created"), (secondId, "key_created"), ("admin", "webhook_created"), (secondId, "webhook_revoked"), ("admin", "key_revoked")],
            entries.Select(e => (e.Actor, e.Action)));
        Assert.Equal("night shift", entries[1].Detail.GetProperty("name").GetString());
        Assert.Equal("moderator", entries[1].Detail.GetProperty("role").GetString());
        Assert.Equal(moderatorId, entries[4].Detail.GetProperty("keyId").GetString());
        Assert.Equal("moderator", entries[4].Detail.GetProperty("role").GetString());
        Assert.Equal("hooks.example.com", entries[2].Detail.GetProperty("host").GetString());
        Assert.Equal(webhookId, entries[3].Detail.GetProperty("webhookId").GetString());

        // The log is open to moderators: no key, no signing secret, nothing of the URL but its host.
        var text = audit.ToString();
        foreach (var secret in new[] { secondKey, moderator.GetProperty("key").GetString()!, hook.GetProperty("secret").GetString()!, "token-abc123", "sig=xyz", "/services/" })
            Assert.DoesNotContain(secret, text);
    }
}
