using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Storage.Articles;
using Moderation.Storage.Audit;
using Moderation.Storage.Authors;
using Moderation.Storage.Comments;
using Moderation.Storage.Erasure;
using Moderation.Storage.Inbox;
using Moderation.Storage.Keys;
using Moderation.Storage.Queue;
using Moderation.Storage.Reports;
using Moderation.Storage.Retention;
using Moderation.Storage.Settings;
using Moderation.Storage.Sources;
using Moderation.Storage.Webhooks;

namespace Moderation.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="StorageOptions"/>, the <see cref="Database"/> they describe, and every repository over it, each one
    /// singleton: callers take the repositories they use.
    /// </summary>
    public static IServiceCollection AddModerationStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o =>
            {
                o.DatabasePath = configuration[StorageOptions.DatabaseKey] ?? o.DatabasePath;
                o.ConnectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "Moderation:Database must name a file")
            .Validate(o => Enum.IsDefined(o.Synchronous), "Moderation:Storage:Synchronous must be Full or Normal")
            .Validate(o => !o.IsPostgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Moderation:Storage:Provider is postgres, so ConnectionStrings:Moderation must give the server (Host=…;Port=…;Username=…;Password=…;Database=…)")
            .ValidateOnStart();
        // The provider's check names the value given (a typo is then plain to see), which a fixed message cannot.
        services.AddSingleton<IValidateOptions<StorageOptions>, KnownProvider>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.CreateDatabase());
        return services.AddModerationRepositories();
    }

    /// <summary>Every repository over the <see cref="Database"/> already registered (also what <see cref="StorageServices"/> holds).</summary>
    public static IServiceCollection AddModerationRepositories(this IServiceCollection services)
    {
        services.AddSingleton<Migrator>();
        services.AddSingleton<ArticleRepository>();
        services.AddSingleton<CommentRepository>();
        services.AddSingleton<InboxRepository>();
        services.AddSingleton<QueueRepository>();
        services.AddSingleton<QueueActions>();
        services.AddSingleton<QueueStats>();
        services.AddSingleton<QueueDepth>();
        services.AddSingleton<ReportRepository>();
        services.AddSingleton<ReportWriter>();   // the group-commit writer: one per database, drained by the container at stop
        services.AddSingleton<AuditLog>();
        services.AddSingleton<KeyRepository>();
        services.AddSingleton<SourceRepository>();
        services.AddSingleton<SiteStatusRepository>();
        services.AddSingleton<WriteBackRepository>();
        services.AddSingleton<SettingsRepository>();
        services.AddSingleton<AuthorRepository>();
        services.AddSingleton<WebhookRepository>();
        services.AddSingleton<ErasureRepository>();
        services.AddSingleton<RetentionRepository>();
        return services;
    }
}

/// <summary>An unknown <c>Moderation:Storage:Provider</c>, named with the value given and the ones there are.</summary>
sealed class KnownProvider : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o) => o.IsKnownProvider
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail($"Moderation:Storage:Provider is '{o.Provider}': it must be sqlite or postgres");
}
