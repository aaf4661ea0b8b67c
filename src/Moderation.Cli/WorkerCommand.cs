using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage;
using Moderation.Worker;
using Moderation.Worker.Scoring;
using Moderation.Worker.Telemetry;
using OpenTelemetry.Metrics;

namespace Moderation.Cli;

/// <summary>
/// <c>worker [--Key=value ...]</c>: the worker alone, with no HTTP listener: the scoring loop, the connectors' pollers, the
/// webhook and write-back dispatchers and retention, on the database the API uses (docs/OPERATIONS.md, "Worker-only
/// process"). Configuration as the API reads it: appsettings.json, environment variables (<c>Moderation__Database</c>),
/// then <c>--Moderation:Database=PATH</c> style arguments. Migrates at start; stops cleanly on SIGTERM or Ctrl-C.
/// </summary>
public static class WorkerCommand
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    static async Task<int> RunAsync(string[] args)
    {
        // appsettings.json (the API's, copied beside this program) is found beside the program, wherever it is started
        // from; relative paths in configuration (Moderation:Database) follow the working directory, as in the API.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // This process exists to run the worker: Moderation:Worker:Enabled is the API's switch (false where this runs).
        builder.Configuration.AddInMemoryCollection([new(WorkerOptions.Section + ":Enabled", "true")]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddModerationStorage(builder.Configuration);
        builder.Services.AddModerationScoring(builder.Configuration);
        builder.Services.AddModerationWorker(builder.Configuration);
        // Metrics: there is no /metrics to scrape here, so where Moderation:Telemetry:OtlpEndpoint is set (the API's key) the
        // worker's meters are pushed over OTLP, as the API pushes its own (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_METRIC_EXPORT_INTERVAL
        // and the other standard OTEL_ variables apply).
        if (builder.Configuration[ModerationMetrics.OtlpEndpointKey] is { Length: > 0 } otlp)
        {
            if (!Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                return CannotStart($"{ModerationMetrics.OtlpEndpointKey} is '{otlp}', which is not an http:// or https:// address");
            builder.Services.AddOpenTelemetry().WithMetrics(m => m
                .AddMeter(ModerationMetrics.MeterName, Moderation.Core.Scoring.ScoringTelemetry.MeterName, "System.Runtime")
                .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        using var host = builder.Build();
        try
        {
            await StorageStartup.MigrateAsync(host.Services);
            ScoringServices.LoadScorer(host.Services);
            await host.StartAsync();
        }
        // InvalidOperationException: a value the configuration binder cannot convert (Moderation:Storage:Synchronous=Off).
        catch (Exception e) when (e is StorageUnavailableException or ScorerUnavailableException or OptionsValidationException or InvalidOperationException)
        {
            return CannotStart(e.Message);
        }
        var o = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        host.Services.GetRequiredService<ILogger<WorkerProcess>>().LogInformation(
            "Moderation worker started (no HTTP listener): database {Database}, batches of {BatchSize}, polling every {PollInterval}",
            host.Services.GetRequiredService<Database>().Path, o.BatchSize, o.PollInterval);
        await host.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>A configuration the operator must fix: one clear line and exit code 1, as the API does.</summary>
    static int CannotStart(string why)
    {
        Console.Error.WriteLine($"Moderation worker cannot start: {why}");
        return 1;
    }

    /// <summary>The log category of the worker-only process's own lines.</summary>
    sealed class WorkerProcess;
}
