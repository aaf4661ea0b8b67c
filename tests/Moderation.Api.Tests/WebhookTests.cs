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

/// <summary>Webhooks delivered to a real HTTP listener on loopback.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    sealed record Received(string Event, string Delivery, long Timestamp, string Signature, string Body, int AnsweredWith);

    readonly TestApp app = new(new()
    {
        ["Moderation:Webhooks:PollInterval"] = "00:00:00.050",
        ["Moderation:Webhooks:RetryDelay"] = "00:00:00.100",
    });
    readonly ConcurrentQueue<Received> received = new();
    WebApplication? listener;
    int failuresLeft;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        listener = builder.Build();
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
        Assert.True(WebhookSignature.Verify(secret, success.Timestamp, success.Body, success.Signature));
        Assert.False(WebhookSignature.Verify("wrong-secret", success.Timestamp, success.Body, success.Signature));
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

    [Fact]
    public async Task A_webhook_to_a_non_http_url_is_400()
    {
        var response = await app.Client().PostAsJsonAsync("/api/webhooks", new { url = "file:///etc/passwd" });
        await response.AssertProblem(HttpStatusCode.BadRequest);
    }
}
