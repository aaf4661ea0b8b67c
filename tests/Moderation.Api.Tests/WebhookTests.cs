using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Api.Tests.Infrastructure;
using Moderation.Worker.Webhooks;

namespace Moderation.Api.Tests;

/// <summary>
/// Webhooks delivered to a real HTTP listener on loopback. Loopback is a private address, so these apps
/// set <c>Moderation:Webhooks:AllowPrivate</c>; the guard itself is tested with it unset.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    sealed record Received(string Event, string Delivery, long Timestamp, string Signature, string Body, int AnsweredWith);

    static readonly Dictionary<string, string?> FastDelivery = new()
    {
        ["Moderation:Webhooks:PollInterval"] = "00:00:00.050",
        ["Moderation:Webhooks:RetryDelay"] = "00:00:00.100",
    };

    readonly TestApp app = new(new(FastDelivery) { ["Moderation:Webhooks:AllowPrivate"] = "true" });
    readonly ConcurrentQueue<Received> received = new();
    /// <summary>Every request the listener got, as "METHOD /path", whatever the route.</summary>
    readonly ConcurrentQueue<string> requests = new();
    WebApplication? listener;
    int failuresLeft;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        listener = builder.Build();
        listener.Use((http, next) => { requests.Enqueue($"{http.Request.Method} {http.Request.Path}"); return next(http); });
        // 307 keeps the method and body: a client that follows it posts the signed event to /hook.
        listener.MapPost("/moved", () => Results.Redirect("/hook", permanent: false, preserveMethod: true));
        listener.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200;
            received.Enqueue(new Received(http.Request.Headers[WebhookSignature.EventHeader]!, http.Request.Headers[WebhookSignature.DeliveryHeader]!,
                long.Parse(http.Request.Headers[WebhookSignature.TimestampHeader]!, System.Globalization.CultureInfo.InvariantCulture),
                http.Request.Headers[WebhookSignature.SignatureHeader]!, body, status));
            return Results.StatusCode(status);
        });
        await listener.StartAsync();
    }

    public async Task DisposeAsync()
    {
        app.Dispose();
        if (listener is not null) await listener.DisposeAsync();
    }

    string HookUrl => listener!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("webhook not delivered in time");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_flagged_comment_is_posted_signed_retried_after_a_500_and_not_delivered_again_after_success()
    {
        failuresLeft = 1;
        var client = app.Client();
        var hook = await (await client.PostAsJsonAsync("/api/webhooks", new { url = HookUrl, events = new[] { "comment.flagged" } })).Json();
        var secret = hook.GetProperty("secret").GetString()!;
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "What a shitty council");
        await client.WaitScored("c1");

        await WaitFor(() => received.Any(r => r.AnsweredWith == 200));
        await Task.Delay(400);   // several poll intervals: a delivered event must not come again
        var deliveries = received.ToList();
        Assert.Equal([500, 200], deliveries.Select(d => d.AnsweredWith));
        Assert.Single(deliveries.Select(d => d.Delivery).Distinct());
        var success = deliveries[1];
        Assert.Equal("comment.flagged", success.Event);
        var now = DateTimeOffset.UtcNow;
        Assert.True(WebhookSignature.Verify(secret, success.Delivery, success.Timestamp, success.Body, success.Signature, now));
        Assert.False(WebhookSignature.Verify("wrong-secret", success.Delivery, success.Timestamp, success.Body, success.Signature, now));
        // The delivery id is signed: the same body and signature under another id (a replay past the receiver's duplicate check) fails.
        Assert.False(WebhookSignature.Verify(secret, success.Delivery + "0", success.Timestamp, success.Body, success.Signature, now));
        // Receivers refuse a timestamp more than 5 minutes from their clock, either way.
        Assert.True(WebhookSignature.Verify(secret, success.Delivery, success.Timestamp, success.Body, success.Signature, now.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify(secret, success.Delivery, success.Timestamp, success.Body, success.Signature, now.AddMinutes(6)));
        Assert.False(WebhookSignature.Verify(secret, success.Delivery, success.Timestamp, success.Body, success.Signature, now.AddMinutes(-6)));
        // As a receiver in any language computes it.
        var expected = "sha256=" + Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret),
            System.Text.Encoding.UTF8.GetBytes($"{success.Timestamp}.{success.Delivery}.{success.Body}"))).ToLowerInvariant();
        Assert.Equal(expected, success.Signature);
        Assert.Equal("c1", JsonDocument.Parse(success.Body).RootElement.GetProperty("commentId").GetString());

        var log = (await client.GetJson("/api/webhooks/deliveries")).GetProperty("items")[0];
        Assert.Equal(2, log.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.String, log.GetProperty("deliveredAt").ValueKind);
    }

    [Fact]
    public async Task Decisions_and_hiding_are_posted_to_subscribers_of_all_events()
    {
        var client = app.Client();
        await client.PostAsJsonAsync("/api/webhooks", new { url = HookUrl });
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "Fuck you, you absolute cunt");
        await client.WaitScored("c1");
        await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", reasonCode = "abusive" });
        await WaitFor(() => received.Select(r => r.Event).Distinct().Count() == 3);
        Assert.Equal(["comment.decided", "comment.flagged", "comment.hidden"], received.Select(r => r.Event).Distinct().Order());
    }

    /// <summary>The delivery log of the only webhook, once it has <paramref name="attempts"/> attempts.</summary>
    static async Task<JsonElement> LogAfter(HttpClient client, int attempts = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await client.GetJson("/api/webhooks/deliveries")).GetProperty("items");
            if (items.GetArrayLength() > 0 && items[0].GetProperty("attempts").GetInt32() >= attempts) return items[0];
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no delivery attempt in time");
            await Task.Delay(20);
        }
    }

    async Task FlagOneComment(HttpClient client)
    {
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "What a shitty council");
        await client.WaitScored("c1");
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_delivery_fails_saying_so()
    {
        var client = app.Client();
        (await client.PostAsJsonAsync("/api/webhooks", new { url = HookUrl.Replace("/hook", "/moved") })).EnsureSuccessStatusCode();
        await FlagOneComment(client);

        var log = await LogAfter(client, attempts: 2);
        Assert.Equal("HTTP 3xx (redirects are not followed)", log.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, log.GetProperty("deliveredAt").ValueKind);
        Assert.Contains("POST /moved", requests);
        Assert.DoesNotContain(requests, r => r.EndsWith("/hook"));
    }

    [Fact]
    public async Task The_delivery_log_keeps_a_class_of_error_not_the_exception_text()
    {
        var client = app.Client();
        // Port 9 (discard) has no listener here: "connection refused", which the log must not tell apart from other failures.
        (await client.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/hook" })).EnsureSuccessStatusCode();
        await FlagOneComment(client);

        var log = await LogAfter(client);
        Assert.Equal("connection failed", log.GetProperty("lastError").GetString());
        Assert.DoesNotContain("refused", log.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", log.ToString());
    }

    [Fact]
    public async Task Errors_stored_before_the_log_was_coarse_are_shown_as_their_class()
    {
        using var idle = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        var client = idle.Client();
        var webhookId = (await (await client.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/x" })).Json()).GetProperty("webhookId").GetString();
        // Rows as the dispatcher wrote them before: a port scan's answers, one per row.
        await using (var c = await idle.OpenStoreAsync())
        {
            foreach (var (status, error) in new (int?, string)[] { (null, "HttpRequestException: Connection refused (10.0.0.8:6379)"), (null, "TaskCanceledException: The request was canceled"), (404, "HTTP 404") })
                await Dapper.SqlMapper.ExecuteAsync(c,
                    "INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, next_attempt_at, attempts, failed_at, last_status, last_error) " +
                    "VALUES (@w, 'comment.flagged', '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 8, '2026-01-01T00:00:00Z', @s, @e)",
                    new { w = webhookId, s = status, e = error });
        }
        var shown = (await client.GetJson("/api/webhooks/deliveries")).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("lastError").GetString());
        Assert.Equal(["HTTP 4xx", "connection failed", "connection failed"], shown);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_unless_private_addresses_are_allowed()
    {
        using var guarded = new TestApp(FastDelivery);
        var client = guarded.Client();
        // localhost passes the check at creation (it is a name) and is caught at connect time, after DNS.
        (await client.PostAsJsonAsync("/api/webhooks", new { url = HookUrl.Replace("127.0.0.1", "localhost") })).EnsureSuccessStatusCode();
        await FlagOneComment(client);

        var log = await LogAfter(client, attempts: 2);
        Assert.Equal("refused: private address", log.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, log.GetProperty("deliveredAt").ValueKind);
        Assert.Empty(requests);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1:8080/admin")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:169.254.169.254]/hook")]
    [InlineData("http://[fd00:ec2::254]/hook")]
    [InlineData("http://0.0.0.0:5080/hook")]
    public async Task A_webhook_url_that_names_a_private_address_is_400_unless_allowed(string url)
    {
        using var guarded = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        var response = await guarded.Client().PostAsJsonAsync("/api/webhooks", new { url });
        await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("Moderation:Webhooks:AllowPrivate", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_webhook_to_a_non_http_url_is_400()
    {
        var response = await app.Client().PostAsJsonAsync("/api/webhooks", new { url = "file:///etc/passwd" });
        await response.AssertProblem(HttpStatusCode.BadRequest);
    }
}
