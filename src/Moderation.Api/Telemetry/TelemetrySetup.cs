using System.Diagnostics.Metrics;
using Moderation.Api.Auth;
using Moderation.Storage;
using Moderation.Storage.Queue;
using Moderation.Worker.Telemetry;
using OpenTelemetry.Metrics;

namespace Moderation.Api.Telemetry;

/// <summary>
/// Metrics through OpenTelemetry (docs/OPERATIONS.md, "Metrics"): the service's <c>Moderation</c> meter, ASP.NET Core's
/// and Kestrel's meters and the runtime's, exported in Prometheus text at <c>GET /metrics</c> (admin key; Prometheus
/// sends it as a bearer token) and, where <c>Moderation:Telemetry:OtlpEndpoint</c> is set, pushed over OTLP too.
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointKey = ModerationMetrics.OtlpEndpointKey;

    public static IServiceCollection AddModerationTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<StoreGauges>();
        var otlp = config[OtlpEndpointKey];
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(ModerationMetrics.MeterName, Moderation.Core.Scoring.ScoringTelemetry.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.RateLimiting", "System.Runtime", "System.Net.Http");
            m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);   // a scrape shows now, not 300 ms ago
            if (!string.IsNullOrWhiteSpace(otlp)) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.ServiceProvider.GetRequiredService<StoreGauges>();   // the gauges exist once the meter is scraped
        // GET only (the exporter maps every method): a scrape is a GET, and only a route with methods is in the OpenAPI document.
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"])).RequireAuthorization(Roles.AdminPolicy).WithTags("Metrics").WithName("Metrics")
            .WithSummary("Prometheus text exposition of the service's meters (admin key as a bearer token)");   // in the document: ApiDocument.AddMetricsPath
        return app;
    }
}

/// <summary>Figures read from the database when scraped: queue depth by state and reason, and the worker's lag.</summary>
public sealed class StoreGauges
{
    public StoreGauges(ModerationMetrics metrics, QueueDepth depth, Moderation.Storage.Inbox.InboxRepository inbox, TimeProvider time)
    {
        metrics.Meter.CreateObservableGauge("moderation.queue.depth", () => depth.Read().Select(r => new Measurement<long>(r.Count,
            new KeyValuePair<string, object?>("state", r.State), new KeyValuePair<string, object?>("reason", r.Reason ?? "all"))),
            "{entry}", "Queue entries by state, and pending ones by reason (reason=all: every entry in the state)");
        metrics.Meter.CreateObservableGauge("moderation.worker.lag", () =>
        {
            var oldest = inbox.OldestUnscoredAsync(CancellationToken.None).GetAwaiter().GetResult();
            return oldest is { } t ? Math.Max(0, (time.GetUtcNow() - t).TotalSeconds) : 0;
        }, "s", "How long the oldest comment still waiting to be scored has waited (0: none waits)");
    }
}
