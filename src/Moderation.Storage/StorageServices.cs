using Moderation.Storage.Articles;
using Moderation.Storage.Audit;
using Moderation.Storage.Comments;
using Moderation.Storage.Inbox;
using Moderation.Storage.Keys;
using Moderation.Storage.Queue;
using Moderation.Storage.Reports;
using Moderation.Storage.Sources;

namespace Moderation.Storage;

/// <summary>All repositories over one database file, for hosts that do not use a DI container (CLI, tests).</summary>
public sealed class StorageServices(Database db)
{
    public Database Database { get; } = db;
    public ArticleRepository Articles { get; } = new(db);
    public CommentRepository Comments { get; } = new(db);
    public InboxRepository Inbox { get; } = new(db);
    public QueueRepository Queue { get; } = new(db);
    public ReportRepository Reports { get; } = new(db);
    /// <summary>The reports' group-commit writer: one per database, disposed (drained) by whoever owns this.</summary>
    public ReportWriter ReportWriter { get; } = new(db);
    public AuditLog Audit { get; } = new(db);
    public KeyRepository Keys { get; } = new(db);
    public QueueActions QueueActions { get; } = new(db);
    public QueueStats Stats { get; } = new(db);
    public SourceRepository Sources { get; } = new(db);
    public SiteStatusRepository SiteStatus { get; } = new(db);
    public WriteBackRepository WriteBacks { get; } = new(db);
    public Settings.SettingsRepository Settings { get; } = new(db);
    public Authors.AuthorRepository Authors { get; } = new(db);
    public Webhooks.WebhookRepository Webhooks { get; } = new(db);
    public Erasure.ErasureRepository Erasure { get; } = new(db);
    public Retention.RetentionRepository Retention { get; } = new(db);
}
