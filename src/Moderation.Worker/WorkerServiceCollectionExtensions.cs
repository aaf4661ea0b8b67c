using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Core.Policy;
using Moderation.Worker.Connectors;
using Moderation.Worker.Outbound;
using Moderation.Worker.Webhooks;
using Microsoft.Extensions.Options;

namespace Moderation.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The batch processor and its options; the hosted loop only where <c>Moderation:Worker:Enabled</c> is true.</summary>
    public static IServiceCollection AddModerationWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section))
            .Validate(o => o.BatchSize is > 0 and <= 1000 && o.MaxAttempts > 0 && o.PollInterval > TimeSpan.Zero && o.Lease > TimeSpan.Zero,
                "Moderation:Worker needs BatchSize 1..1000, MaxAttempts > 0 and positive PollInterval and Lease")
            .ValidateOnStart();
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section))
            .Validate(o => o.HideAfter > 0 && o.PerMinute > 0, "Moderation:Reports needs HideAfter > 0 and PerMinute > 0")
            .ValidateOnStart();
        services.AddOptions<PolicyOptions>().Configure(o => o.Reasons = PolicyOptions.DefaultThresholds())
            .Bind(configuration.GetSection(PolicyOptions.Section));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.MaxAttempts > 0 && o.PollInterval > TimeSpan.Zero && o.Timeout > TimeSpan.Zero, "Moderation:Webhooks needs positive values")
            .ValidateOnStart();
        // Redirects are not followed: a receiver answers where it is, and a 3xx is a failed delivery.
        services.AddHttpClient(WebhookDispatcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp =>
            GuardedHttp.Handler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivate, followRedirects: false));
        services.AddOptions<Retention.RetentionOptions>().Bind(configuration.GetSection(Retention.RetentionOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero && !(o.DecidedTexts <= TimeSpan.Zero) && !(o.ReportDetails <= TimeSpan.Zero) && !(o.AddressHashes <= TimeSpan.Zero),
                "Moderation:Retention needs positive durations (leave one unset to keep that data)")
            .ValidateOnStart();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<Health.WorkerHealth>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ModerationMetrics>();
        services.AddSingleton<SettingsProvider>();
        services.AddSingleton<BatchProcessor>();
        services.AddConnectors(configuration, runPollers: configuration.GetValue(WorkerOptions.Section + ":Enabled", true));
        services.AddSingleton<WebhookDispatcher>();
        if (configuration.GetValue(WorkerOptions.Section + ":Enabled", true))
        {
            services.AddHostedService<ScoringWorker>();
            services.AddHostedService<InboxListener>();
            services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
            services.AddHostedService<Retention.RetentionJob>();
        }
        return services;
    }
}
