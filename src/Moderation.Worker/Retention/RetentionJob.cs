using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage;
using Moderation.Storage.Retention;

namespace Moderation.Worker.Retention;

/// <summary>
/// Runs the retention purge at start and then every <see cref="RetentionOptions.Interval"/> on the injected clock, in
/// the process that hosts the worker. A failed run is logged and tried again at the next interval; it never stops the host.
/// </summary>
public sealed class RetentionJob(RetentionRepository retention, IOptionsMonitor<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunOnceAsync(stoppingToken);
            try { await Task.Delay(options.CurrentValue.Interval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One purge with the cutoffs as of now.</summary>
    public async Task<RetentionPurge?> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        try
        {
            var purge = await retention.PurgeAsync(new RetentionCutoffs(now - o.DecidedTexts, now - o.ReportDetails, now - o.AddressHashes), now, ct);
            if (purge.Any)
                log.LogInformation("Retention removed {Texts} comment texts, {ReportDetails} report details, {AddressHashes} address hashes",
                    purge.Texts, purge.ReportDetails, purge.AddressHashes);
            return purge;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Retention purge failed; trying again in {Interval}", o.Interval);
            return null;
        }
    }
}
