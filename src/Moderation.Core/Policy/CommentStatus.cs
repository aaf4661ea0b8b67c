namespace Moderation.Core.Policy;

/// <summary>Comment statuses of the contract.</summary>
public static class CommentStatus
{
    public const string Received = "received";
    public const string Published = "published";
    public const string Pending = "pending";
    public const string Hidden = "hidden";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>Trashed or marked spam on the site it came from (a pull source's own moderation): out of the queue, not shown.</summary>
    public const string RemovedAtSource = "removed_at_source";

    /// <summary>May the site show a comment in this status now? Unscored comments wait for the worker (about a second).</summary>
    public static bool IsVisible(string status) => status is Published or Pending or Approved;

    /// <summary>
    /// The same, for a comment the site it came from holds for its own moderation: shown only once a moderator here
    /// approved it (or the site approves it, which clears <paramref name="heldAtSource"/>).
    /// </summary>
    public static bool IsVisible(string status, bool heldAtSource) => heldAtSource ? status == Approved : IsVisible(status);

    /// <summary>Has a moderator decided the comment's current text?</summary>
    public static bool IsDecided(string? status) => status is Approved or Rejected;
}

/// <summary>Reason codes a moderator may give with a decision.</summary>
public static class DecisionReasonCodes
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        "offensive", "abusive", "spam", "banned_word", "ad", "harassment_bullying",
        "hate_speech", "irrelevant_content", "misinformation", "other",
    };
}

/// <summary>Reasons a reader may give with a report.</summary>
public static class ReportReasons
{
    public static readonly IReadOnlySet<string> All = new HashSet<string> { "offensive", "abusive", "spam", "off_topic", "other" };
}
