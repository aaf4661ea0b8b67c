namespace Moderation.Core.Policy;

/// <summary>Comment statuses as WordPress names them in its REST API.</summary>
public static class SiteStatus
{
    public const string Approved = "approved";
    public const string Hold = "hold";
    public const string Spam = "spam";
    public const string Trash = "trash";

    /// <summary>What <c>Moderation:Sources:N:RejectAs</c> may be.</summary>
    public static readonly IReadOnlySet<string> RejectAs = new HashSet<string> { Hold, Trash, Spam };

    public static bool IsRemoved(string status) => status is Spam or Trash;
}

/// <summary>What a status change made on the site does here.</summary>
public enum SiteEffect
{
    /// <summary>Recorded (audit, counters, visibility), nothing else changes.</summary>
    None,
    /// <summary>Trashed or spammed there: leaves the queue as <c>removed_at_source</c>.</summary>
    Remove,
    /// <summary>Approved there while waiting for a moderator here: the queue entry says so.</summary>
    ApprovedWhileQueued,
    /// <summary>Taken out of trash or spam there: back to where it was before it was removed.</summary>
    Restore,
}

/// <summary>
/// The two-way table of docs/CONNECTORS.md in one place: which status the service writes to the site for each of
/// ours, and what a status the site's own moderation sets does here.
/// </summary>
public static class SiteModeration
{
    /// <summary>
    /// The status the site should have for a comment in <paramref name="status"/> here, or null to leave the site alone.
    /// Hidden and rejected comments are held (or trashed/spammed, <paramref name="rejectAs"/>), approved ones approved;
    /// a comment back to <c>pending</c> or <c>published</c> (an undo, an edit scored clean) gets the site's own status back.
    /// Unscored comments wait for their score, so an edit does not make the site flip twice.
    /// </summary>
    public static string? WantedOnSite(string status, string siteStatus, string rejectAs) => status switch
    {
        CommentStatus.Hidden => SiteStatus.Hold,
        CommentStatus.Rejected => rejectAs,
        CommentStatus.Approved => SiteStatus.Approved,
        CommentStatus.Published or CommentStatus.Pending => siteStatus,
        _ => null,
    };

    /// <summary>Whether a change of ours may need a write to the site: into or out of a status the service writes.</summary>
    public static bool MayWrite(string? before, string after) =>
        after is CommentStatus.Hidden or CommentStatus.Rejected or CommentStatus.Approved
        || before is CommentStatus.Hidden or CommentStatus.Rejected or CommentStatus.Approved;

    /// <summary>What the site's move from <paramref name="siteBefore"/> to <paramref name="siteNow"/> does to a comment that is <paramref name="status"/> here.</summary>
    public static SiteEffect OnSiteChange(string status, string siteBefore, string siteNow)
    {
        if (status == CommentStatus.RemovedAtSource) return SiteStatus.IsRemoved(siteNow) ? SiteEffect.None : SiteEffect.Restore;
        if (SiteStatus.IsRemoved(siteNow)) return status == CommentStatus.Rejected ? SiteEffect.None : SiteEffect.Remove;
        if (siteNow == SiteStatus.Approved && siteBefore != SiteStatus.Approved && status is CommentStatus.Pending or CommentStatus.Hidden)
            return SiteEffect.ApprovedWhileQueued;
        return SiteEffect.None;
    }
}
