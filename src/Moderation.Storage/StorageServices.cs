using Microsoft.Extensions.DependencyInjection;
using Moderation.Storage.Articles;
using Moderation.Storage.Audit;
using Moderation.Storage.Comments;
using Moderation.Storage.Inbox;
using Moderation.Storage.Keys;
using Moderation.Storage.Queue;
using Moderation.Storage.Reports;
using Moderation.Storage.Sources;

namespace Moderation.Storage;

/// <summary>
/// All repositories over one database, for code that holds no DI container (the CLI's import, tests). Hosts and services
/// never take this: they take the repositories they use (<see cref="StorageServiceCollectionExtensions.AddModerationStorage"/>).
/// </summary>
public sealed class StorageServices
{
    /// <summary>Repositories of their own over <paramref name="db"/>.</summary>
    public StorageServices(Database db) : this(new ServiceCollection().AddSingleton(db).AddModerationRepositories().BuildServiceProvider()) { }

    /// <summary>The very instances a container holds (a test harness that wires the worker and also reads the tables).</summary>
    public StorageServices(IServiceProvider services)
    {
        Database = services.GetRequiredService<Database>();
        Articles = services.GetRequiredService<ArticleRepository>();
        Comments = services.GetRequiredService<CommentRepository>();
        Inbox = services.GetRequiredService<InboxRepository>();
        Queue = services.GetRequiredService<QueueRepository>();
        Reports = services.GetRequiredService<ReportRepository>();
        ReportWriter = services.GetRequiredService<ReportWriter>();
        Audit = services.GetRequiredService<AuditLog>();
        Keys = services.GetRequiredService<KeyRepository>();
        QueueActions = services.GetRequiredService<QueueActions>();
        Stats = services.GetRequiredService<QueueStats>();
        Sources = services.GetRequiredService<SourceRepository>();
        SiteStatus = services.GetRequiredService<SiteStatusRepository>();
        WriteBacks = services.GetRequiredService<WriteBackRepository>();
        Settings = services.GetRequiredService<Settings.SettingsRepository>();
        Authors = services.GetRequiredService<Authors.AuthorRepository>();
        Webhooks = services.GetRequiredService<Webhooks.WebhookRepository>();
        Erasure = services.GetRequiredService<Erasure.ErasureRepository>();
        Retention = services.GetRequiredService<Retention.RetentionRepository>();
    }

    public Database Database { get; }
    public ArticleRepository Articles { get; }
    public CommentRepository Comments { get; }
    public InboxRepository Inbox { get; }
    public QueueRepository Queue { get; }
    public ReportRepository Reports { get; }
    /// <summary>The reports' group-commit writer: one per database, disposed (drained) by whoever owns this.</summary>
    public ReportWriter ReportWriter { get; }
    public AuditLog Audit { get; }
    public KeyRepository Keys { get; }
    public QueueActions QueueActions { get; }
    public QueueStats Stats { get; }
    public SourceRepository Sources { get; }
    public SiteStatusRepository SiteStatus { get; }
    public WriteBackRepository WriteBacks { get; }
    public Settings.SettingsRepository Settings { get; }
    public Authors.AuthorRepository Authors { get; }
    public Webhooks.WebhookRepository Webhooks { get; }
    public Erasure.ErasureRepository Erasure { get; }
    public Retention.RetentionRepository Retention { get; }
}
