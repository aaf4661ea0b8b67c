using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moderation.Worker.Connectors;

/// <summary>
/// Polls every configured source on its own interval, each in its own loop so a slow site delays no other.
/// A poll that throws is logged and recorded on the source; nothing here may stop the host.
/// </summary>
public sealed class SourcePoller(SourceConnectors connectors, Storage.Sources.SourceRepository sources, TimeProvider time, ILogger<SourcePoller> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(connectors.Configured.Select(s => RunAsync(connectors.Create(s), stoppingToken)));

    async Task RunAsync(ISourceConnector connector, CancellationToken ct)
    {
        await Task.Yield();
        var key = connector.Source.Key;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var result = await connector.PollAsync(ct);
                if (result.Ingested > 0) log.LogInformation("Source {Source}: {Count} comments in", key, result.Ingested);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "Source {Source}: poll failed", key);
                try { await sources.RecordPollAsync(key, time.GetUtcNow(), e.GetType().Name + ": " + e.Message, rescan: false, ct); }
                catch (Exception inner) when (inner is not OperationCanceledException) { log.LogError(inner, "Source {Source}: could not record the failure", key); }
            }
            try { await Task.Delay(connector.Source.PollInterval, time, ct); }
            catch (OperationCanceledException) { break; }
        }
    }
}
