using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage.Webhooks;
using Moderation.Worker.Outbound;

namespace Moderation.Worker.Webhooks;

/// <summary>
/// Delivers the outbox: signed POSTs, retried with exponential backoff on errors, 5xx and time-outs.
/// At least once: a delivery is marked done only after a 2xx, so a crash in between sends it again
/// with the same <c>X-Moderation-Delivery</c> id, which receivers can use to drop the duplicate.
/// </summary>
public sealed class WebhookDispatcher(WebhookRepository webhooks, IHttpClientFactory http, IOptionsMonitor<WebhookOptions> options,
    TimeProvider time, ILogger<WebhookDispatcher> log) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DeliverDueAsync(stoppingToken) > 0) continue;
                await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "Webhook dispatch failed; retrying");
                try { await Task.Delay(options.CurrentValue.RetryDelay, time, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var due = await webhooks.DueAsync(time.GetUtcNow(), 20, ct);
        foreach (var d in due) await DeliverAsync(d, o, ct);
        return due.Count;
    }

    async Task DeliverAsync(Delivery d, WebhookOptions o, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new StringContent(d.Payload, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.EventHeader, d.Event);
        var deliveryId = d.Id.ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(d.Secret, deliveryId, timestamp, d.Payload));
        int? status = null;
        string error;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.Timeout);
            // Headers only: the receiver's body is never read, so a huge or endless one costs nothing.
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await webhooks.MarkDeliveredAsync(d.Id, status.Value, time.GetUtcNow(), ct);
                return;
            }
            error = GuardedHttp.Describe(response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The delivery log (read through the API) gets the class of error only; the operator's log gets the detail.
            error = GuardedHttp.Describe(e);
            log.LogDebug(e, "Webhook delivery {Id} failed", d.Id);
        }
        var attempts = (int)d.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(o.MaxBackoff.Ticks, o.RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var giveUp = attempts >= o.MaxAttempts;
        log.LogWarning("Webhook delivery {Id} to {Url} failed ({Error}); {Next}", d.Id, d.Url, error, giveUp ? "giving up" : $"retrying in {delay}");
        await webhooks.MarkFailedAsync(d.Id, status, error, time.GetUtcNow() + delay, giveUp, time.GetUtcNow(), ct);
    }
}
