namespace Moderation.Worker.Retention;

/// <summary>Bound from <c>Moderation:Retention</c>: how long personal data is kept (docs/OPERATIONS.md, "Retention"). Unset keeps it.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Moderation:Retention";

    /// <summary>How long after a moderator's decision an approved or rejected comment keeps its text. Default: kept (the site publishes approved ones).</summary>
    public TimeSpan? DecidedTexts { get; set; }

    /// <summary>How long a report keeps the details the reader typed. Default 180 days.</summary>
    public TimeSpan? ReportDetails { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long a report keeps the hashed client address (used only to weigh reports from one address together). Default 30 days.</summary>
    public TimeSpan? AddressHashes { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
