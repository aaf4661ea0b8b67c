using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Worker.Outbound;
using Polly;

namespace Moderation.Worker.Connectors;

public static class ConnectorServices
{
    /// <summary>
    /// The connectors' HTTP traffic: a line per request (and per resilience attempt) at Information is noise from a poll a
    /// minute, so these log at Warning unless <c>Logging:LogLevel</c> names the category or one of its parents.
    /// </summary>
    public static readonly IReadOnlyList<string> QuietLogCategories = ["System.Net.Http.HttpClient." + SourceHttp.ClientName, "Polly"];

    /// <summary>
    /// The shared ingest service, the sources from <c>Moderation:Sources</c>, the resilient HTTP client the
    /// connectors use, and (where <paramref name="runPollers"/>) the loop that polls them.
    /// </summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services, IConfiguration configuration, bool runPollers)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section))
            .Validate(o => o.MaxCommentChars > 0 && o.MaxArticleChars > 0, "Moderation:Limits must be positive").ValidateOnStart();
        services.AddOptions<SourcesOptions>().Bind(configuration.GetSection("Moderation"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourcesOptions>, SourcesValidation>();
        services.AddOptions<ConnectorOptions>().Bind(configuration.GetSection(ConnectorOptions.Section))
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.MaxRetries >= 0 && o.RetryDelay >= TimeSpan.Zero && o.PageSize is >= 1 and <= 100 && o.MaxResponseBytes > 0,
                "Moderation:Connectors needs a positive AttemptTimeout, MaxRetries >= 0, RetryDelay >= 0, PageSize 1..100")
            .ValidateOnStart();
        services.Configure<LoggerFilterOptions>(o =>
        {
            foreach (var category in QuietLogCategories.Where(c => !LevelAskedFor(configuration, c))) o.AddFilter(category, LogLevel.Warning);
        });
        services.AddSingleton<IngestService>();
        services.AddSingleton<SourceConnectors>();

        services.AddHttpClient(SourceHttp.ClientName, (sp, client) =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler times each attempt
                client.MaxResponseContentBufferSize = sp.GetRequiredService<IOptions<ConnectorOptions>>().Value.MaxResponseBytes;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Moderation-Connector/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedHttp.Handler(sp.GetRequiredService<IOptions<ConnectorOptions>>().Value.AllowPrivate, followRedirects: true))
            .AddResilienceHandler("source", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<ConnectorOptions>>().Value;
                // Retries on 408, 429, 5xx, broken connections and attempt time-outs; Retry-After is honoured.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(o.MaxRetries, 1),
                    ShouldHandle = o.MaxRetries == 0 ? _ => ValueTask.FromResult(false) : new HttpRetryStrategyOptions().ShouldHandle,
                    Delay = o.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    MaxDelay = TimeSpan.FromMinutes(2),
                });
                pipeline.AddTimeout(o.AttemptTimeout);
            });

        services.AddSingleton<WordPress.WriteBackDispatcher>();
        if (runPollers)
        {
            // Polled sources and the write-back outbox run where the worker runs.
            services.AddHostedService<SourcePoller>();
            services.AddHostedService(sp => sp.GetRequiredService<WordPress.WriteBackDispatcher>());
        }
        return services;
    }

    /// <summary>Does <c>Logging:LogLevel</c> set a level for <paramref name="category"/> or a parent of it ("System.Net.Http", say)?</summary>
    static bool LevelAskedFor(IConfiguration configuration, string category) =>
        configuration.GetSection("Logging:LogLevel").GetChildren().Any(k =>
            category.Equals(k.Key, StringComparison.OrdinalIgnoreCase) || category.StartsWith(k.Key + ".", StringComparison.OrdinalIgnoreCase));
}
