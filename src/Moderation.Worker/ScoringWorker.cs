using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Worker.Health;

namespace Moderation.Worker;

/// <summary>
/// Pulls received comments in batches until the inbox is empty (<see cref="BatchProcessor.DrainAsync"/>), then sleeps until a comment
/// arrives or the poll interval passes. A failing batch is logged and retried with backoff;
/// nothing here may stop the host. A batch cut short by shutdown is simply claimed again later.
/// </summary>
public sealed class ScoringWorker(BatchProcessor batches, Moderation.Storage.Inbox.InboxRepository inbox, WorkSignal signal,
    IOptionsMonitor<WorkerOptions> options, WorkerHealth health, TimeProvider time, ILogger<ScoringWorker> log) : BackgroundService
{
    /// <summary>After the loop has stopped, hand back any batch cut short, so a restart scores it at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            var released = await inbox.ReleaseAsync(batches.Owner, cancellationToken);
            if (released > 0) log.LogInformation("Released {Count} claimed comments on shutdown", released);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not release claimed comments on shutdown; they return when their lease ends");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        health.Busy(time.GetUtcNow());   // before the first await: the host is not serving yet, so readiness never sees "not started"
        await Task.Yield();
        try { await LoopAsync(stoppingToken); }
        finally { health.Stopped(time.GetUtcNow()); }
    }

    async Task LoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                health.Busy(time.GetUtcNow());
                await batches.DrainAsync(stoppingToken);
                failures = 0;
                health.Idle(time.GetUtcNow());
                await signal.WaitAsync(options.CurrentValue.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                health.Failed(e, time.GetUtcNow());
                var delay = options.CurrentValue.Backoff(failures);
                log.LogError(e, "Worker batch failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                try { await Task.Delay(delay, time, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }
}
