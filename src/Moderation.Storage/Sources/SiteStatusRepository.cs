using System.Data;
using System.Text.Json;
using Dapper;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Sources;

/// <summary>What the site's status read for one comment did here.</summary>
public enum SiteObservation { FirstSeen, Same, OwnWrite, Stale, WriteBackPending, Changed }

/// <summary>One comment's status as a page of the site listed it.</summary>
public sealed record SiteRead(string CommentId, long RemoteId, string Status);

/// <summary>Which comment of a pull source a new comment is (<paramref name="RemoteId"/> on <paramref name="Source"/>), and its status there.</summary>
public sealed record SiteOrigin(string Source, long RemoteId, string Status);

public sealed record SiteComment
{
    public string Source { get; init; } = "";
    public long RemoteId { get; init; }
    public string SiteStatus { get; init; } = "";
    public string? WrittenStatus { get; init; }
    public string? WrittenAt { get; init; }
}

/// <summary>
/// The comments of pull sources and their status on the site: recorded as the connector reads them, applied here
/// when the site's own moderation changed them (Core <see cref="SiteModeration.OnSiteChange"/>), never when the
/// status read back is the one this service wrote.
/// </summary>
public sealed class SiteStatusRepository(Database db)
{
    const string SelectSql = """
        SELECT source, remote_id AS RemoteId, site_status AS SiteStatus, written_status AS WrittenStatus, written_at AS WrittenAt
        FROM source_comments WHERE comment_id = @commentId
        """;

    /// <summary>
    /// A comment's first site status (parameters @commentId, @source, @remoteId, @siteStatus, @at). A pull source's new
    /// comment gets it in its insert's transaction (<see cref="Comments.NewComment.Site"/>); before, the page's statuses
    /// were recorded after all its comments, and the worker could score a comment the site holds in between, which
    /// <see cref="VisibilityAsync"/> then called visible until the page was done.
    /// </summary>
    internal const string FirstSeenSql = """
        INSERT INTO source_comments (comment_id, source, remote_id, site_status, seen_at) VALUES (@commentId, @source, @remoteId, @siteStatus, @at)
        """;

    public async Task<SiteComment?> GetAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<SiteComment>(new CommandDefinition(SelectSql, new { commentId }, cancellationToken: ct));
    }

    /// <summary>The comment's status and whether its site holds it for its own moderation; null when there is no such comment.</summary>
    public async Task<(string Status, bool HeldAtSource)?> VisibilityAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Status, long Held)?>(new CommandDefinition("""
            SELECT c.status, CASE WHEN s.site_status = 'hold' THEN 1 ELSE 0 END FROM comments c LEFT JOIN source_comments s ON s.comment_id = c.comment_id
            WHERE c.comment_id = @commentId
            """, new { commentId }, cancellationToken: ct));
        return row is { } r ? (r.Status, r.Held == 1) : null;
    }

    /// <summary>
    /// Records the statuses a page of <paramref name="source"/> showed at <paramref name="readAt"/>, in one transaction
    /// (and none when nothing is new). A change the site made itself is applied (removed, restored, approved while queued),
    /// counted and audited as actor <c>source:NAME</c>; the service's own write read back, a read older than that write,
    /// or a read while a write-back is still on its way changes nothing. Returns how many were changes made by the site.
    /// </summary>
    /// <param name="knownOnly">Only comments recorded before (the trash and spam listings): others are not ours to record.</param>
    public async Task<int> ObserveAsync(string source, IReadOnlyList<SiteRead> reads, DateTimeOffset readAt, DateTimeOffset now, CancellationToken ct,
        bool knownOnly = false)
    {
        if (reads.Count == 0) return 0;
        // A rescan reads thousands of comments whose status did not change: that costs a read, not a write transaction.
        Dictionary<string, SiteComment> seen;
        await using (var c = await db.OpenAsync(ct))
            seen = (await c.QueryAsync<(string CommentId, string SiteStatus, string? WrittenStatus)>(new CommandDefinition(
                    $"SELECT comment_id, site_status, written_status FROM source_comments WHERE {c.In("comment_id", "@ids")}",
                    new { ids = reads.Select(r => r.CommentId).ToList() }, cancellationToken: ct)))
                .ToDictionary(r => r.CommentId, r => new SiteComment { SiteStatus = r.SiteStatus, WrittenStatus = r.WrittenStatus });
        var news = reads.Where(r => seen.TryGetValue(r.CommentId, out var s) ? r.Status != (s.WrittenStatus ?? s.SiteStatus) : !knownOnly).ToList();
        if (news.Count == 0) return 0;
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var changed = 0;
            foreach (var read in news)
                if (await ApplyAsync(c, tx, source, read, readAt, now, ct) == SiteObservation.Changed) changed++;
            return changed;
        }, ct);
    }

    static async Task<SiteObservation> ApplyAsync(IDbConnection c, IDbTransaction tx, string source, SiteRead read, DateTimeOffset readAt,
        DateTimeOffset now, CancellationToken ct)
    {
        var (commentId, remoteId, siteStatus) = (read.CommentId, read.RemoteId, read.Status);
        var at = Database.Time(now);
        var row = await c.QuerySingleOrDefaultAsync<SiteComment>(new CommandDefinition(SelectSql, new { commentId }, tx, cancellationToken: ct));
        if (row is null)
        {
            await c.ExecuteAsync(new CommandDefinition(FirstSeenSql, new { commentId, source, remoteId, siteStatus, at }, tx, cancellationToken: ct));
            return SiteObservation.FirstSeen;
        }
        var known = row.WrittenStatus ?? row.SiteStatus;
        if (siteStatus == known) return row.WrittenStatus is null ? SiteObservation.Same : SiteObservation.OwnWrite;
        if (row.WrittenAt is not null && readAt < Database.ParseTime(row.WrittenAt)) return SiteObservation.Stale;
        if (await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM source_writebacks WHERE comment_id = @commentId AND done_at IS NULL)", new { commentId }, tx, cancellationToken: ct)) == 1)
            return SiteObservation.WriteBackPending;

        var status = await c.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
        var effect = SiteModeration.OnSiteChange(status, known, siteStatus);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE source_comments SET site_status = @siteStatus, written_status = NULL, written_at = NULL WHERE comment_id = @commentId;
            UPDATE sources SET status_changes = status_changes + 1 WHERE name = @source;
            """, new { commentId, siteStatus, source }, tx, cancellationToken: ct));
        var actor = "source:" + source;
        var after = effect switch
        {
            SiteEffect.Remove => await RemoveAsync(c, tx, commentId, actor, at, ct),
            SiteEffect.Restore => await RestoreAsync(c, tx, commentId, actor, at, ct),
            SiteEffect.ApprovedWhileQueued => await MarkApprovedAsync(c, tx, commentId, source, at, ct),
            _ => status,
        };
        var action = effect switch
        {
            SiteEffect.Remove => "removed_at_source",
            SiteEffect.Restore => "restored_at_source",
            SiteEffect.ApprovedWhileQueued => "approved_at_source",
            _ => "site_status_changed",
        };
        await AuditLog.WriteAsync(c, tx, now, actor, action, commentId, status, after, new { source, remoteId, from = known, to = siteStatus }, ct);
        return SiteObservation.Changed;
    }

    /// <summary>Out of the queue: a pending entry becomes decided by the source, so no moderator handles it twice.</summary>
    static async Task<string> RemoveAsync(IDbConnection c, IDbTransaction tx, string commentId, string actor, string at, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE queue SET state = 'decided', decided_at = @at, decided_by = @actor, action = 'removed_at_source' WHERE comment_id = @commentId AND state = 'pending';
            UPDATE comments SET status = 'removed_at_source', updated_at = @at WHERE comment_id = @commentId;
            """, new { commentId, actor, at }, tx, cancellationToken: ct));
        return CommentStatus.RemovedAtSource;
    }

    /// <summary>Back to the status it had before the site removed it, and back into the queue if it was waiting there.</summary>
    static async Task<string> RestoreAsync(IDbConnection c, IDbTransaction tx, string commentId, string actor, string at, CancellationToken ct)
    {
        var before = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT status_before FROM audit WHERE comment_id = @commentId AND action = 'removed_at_source' ORDER BY id DESC LIMIT 1
            """, new { commentId }, tx, cancellationToken: ct)) ?? CommentStatus.Published;
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE queue SET state = 'pending', decided_at = NULL, decided_by = NULL, action = NULL
            WHERE comment_id = @commentId AND decided_by = @actor AND action = 'removed_at_source';
            UPDATE comments SET status = @before, updated_at = @at WHERE comment_id = @commentId;
            """, new { commentId, actor, before, at }, tx, cancellationToken: ct));
        return before;
    }

    /// <summary>The pending queue entry gains the reason <c>approved_at_source</c>, so the moderator sees the site approved it.</summary>
    static async Task<string> MarkApprovedAsync(IDbConnection c, IDbTransaction tx, string commentId, string source, string at, CancellationToken ct)
    {
        var reason = new Reason(ReasonCodes.ApprovedAtSource, 1, Detail: new Dictionary<string, object?> { ["source"] = source, ["at"] = at });
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE queue SET reason_codes = reason_codes || @code || ',',
                -- the reason appended to the JSON array as text (both engines; reasons is always a compact array)
                reasons = substr(reasons, 1, length(reasons) - 1) || CASE WHEN reasons = '[]' THEN '' ELSE ',' END || @reason || ']'
            WHERE comment_id = @commentId AND state = 'pending' AND instr(reason_codes, ',' || @code || ',') = 0
            """, new { commentId, code = reason.Code, reason = JsonSerializer.Serialize(reason, Json.Options) }, tx, cancellationToken: ct));
        return await c.QuerySingleAsync<string>(new CommandDefinition("SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
    }
}
