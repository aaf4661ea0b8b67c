using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Moderation.Api.Articles;
using Moderation.Api.Audit;
using Moderation.Api.Auth;
using Moderation.Api.Comments;
using Moderation.Api.Errors;
using Moderation.Api.Imports;
using Moderation.Api.Backups;
using Moderation.Api.Demo;
using Moderation.Api.Erasure;
using Moderation.Api.Health;
using Moderation.Api.Keys;
using Moderation.Api.Network;
using Moderation.Api.OpenApi;
using Moderation.Api.Queue;
using Moderation.Api.Reports;
using Moderation.Api.Scoring;
using Moderation.Api.Sources;
using Moderation.Api.Stats;
using Moderation.Api.Settings;
using Moderation.Api.Telemetry;
using Moderation.Api.Authors;
using Moderation.Api.Webhooks;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Worker;
using Moderation.Worker.Scoring;

namespace Moderation.Api.Hosting;

/// <summary>Everything the host wires together, so Program.cs stays a few lines.</summary>
public static class ModerationHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddModeration(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(DefaultUrl);

        // SQLite calls block their thread while they wait for a lock (Microsoft.Data.Sqlite has no truly async I/O).
        // Writes in this process queue without a thread (Database.InTransactionAsync), but the worker's claim, the
        // webhook dispatcher and a few one-off writes still wait in SQLite: on a 2-core machine the pool would start
        // with 2 threads and add one about every half second, stalling every request. Start with enough.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        if (minWorkers < 32) ThreadPool.SetMinThreads(32, minIo);

        var services = builder.Services;
        services.AddOptions<ModerationOptions>().Bind(config.GetSection(ModerationOptions.Section))
            .Validate(o => o.Limits.MaxCommentChars > 0 && o.Limits.MaxBodyBytes > 0, "Moderation:Limits must be positive")
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section));
        services.AddOptions<ReadinessOptions>().Bind(config.GetSection(ReadinessOptions.Section))
            .Validate(o => o.MaxUnscoredAge > TimeSpan.Zero && o.MaxWorkerStall > TimeSpan.Zero && o.MaxFailuresInRow > 0,
                "Moderation:Readiness needs positive MaxUnscoredAge, MaxWorkerStall and MaxFailuresInRow")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);

        services.AddModerationStorage(config);
        services.AddOptions<Pseudonyms.PseudonymOptions>().Bind(config.GetSection(Pseudonyms.PseudonymOptions.Section))
            .Validate(o => !(o.RotateEvery <= TimeSpan.Zero) && (o.Secret is null || o.Secret.Length >= 32),
                "Moderation:Pseudonyms needs a positive RotateEvery and a Secret of at least 32 characters when set")
            .ValidateOnStart();
        services.AddSingleton<Pseudonyms.PseudonymKey>();
        services.AddSingleton<ReporterKeys>();
        services.AddModerationScoring(config);
        services.AddModerationWorker(config);
        services.AddModerationTelemetry(config);

        services.AddModerationNetwork(config);
        services.AddSingleton<AdminKeyProvider>();
        services.AddSingleton<FailedKeyAttempts>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Deny by default: a route mapped without its own rule (or no route at all) needs the admin key, so a
            // forgotten RequireAuthorization can only ever be too strict. RouteRulesTests holds every route's rule.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Roles.Admin).Build())
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.ModeratorPolicy, p => p.RequireRole(Roles.Admin, Roles.Moderator))
            .AddPolicy(Roles.IngestPolicy, p => p.RequireRole(Roles.Admin, Roles.Ingest));

        services.AddModerationErrors();
        services.AddModerationOpenApi();
        services.AddCors(o => o.AddPolicy(SecurityHeaders.ReportWidgetCors, p => p.AllowAnyOrigin().WithMethods("POST").WithHeaders("Content-Type")));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ReportsApi.RateLimitPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptionsMonitor<ReportOptions>>().CurrentValue.PerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Key(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<Moderation.Worker.Telemetry.ModerationMetrics>().Report("rate_limited");
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, title: "Too many requests", detail: "Too many reports from this address; try again later.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static async Task<WebApplication> UseModerationAsync(this WebApplication app)
    {
        await StartupChecks.RunAsync(app.Services);

        // First: every later step (the throttles, the report limits, the logs) sees the reader, not the proxy.
        app.UseModerationForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseBodySizeLimit();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // The contract is public (DESIGN.md); it says which routes exist, never what is in them.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealth();
        app.MapMetrics();
        app.MapConsolePages();
        var api = app.MapGroup("/api").DeclareCommonAnswers();
        api.MapArticles();
        api.MapComments();
        api.MapReports();
        api.MapQueue();
        api.MapScorePreview();
        api.MapKeys();
        api.MapAudit();
        api.MapStats();
        api.MapPublicArticles();
        api.MapSources();
        api.MapImports();
        api.MapSettings();
        api.MapAuthors();
        api.MapWebhooks();
        api.MapErasure();
        api.MapBackups();
        return app;
    }

    /// <summary>Refuses bodies over <c>Moderation:Limits:MaxBodyBytes</c> with 413 before reading them.</summary>
    static IApplicationBuilder UseBodySizeLimit(this WebApplication app) => app.Use(async (context, next) =>
    {
        // Endpoints that declare their own limit (imports stream files of any size) keep it.
        if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>() is not null) { await next(); return; }
        var max = context.RequestServices.GetRequiredService<IOptions<ModerationOptions>>().Value.Limits.MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            await Results.Problem(statusCode: 413, title: "Payload too large", detail: $"The body may be at most {max} bytes.").ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max;
        await next();
    });
}

