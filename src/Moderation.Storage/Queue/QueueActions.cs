using Dapper;
using Moderation.Core.Policy;
using Moderation.Storage.Comments;

namespace Moderation.Storage.Queue;

public enum UndoOutcome { Undone, NotFound, NotYours, TooLate, NotDecided }

public sealed record UndoResult(UndoOutcome Outcome, string? Status);

/// <summary>Which pending items a bulk decision covers; <see cref="ScoreField"/> with Min/Max selects a score range.</summary>
public sealed record BulkFilter(string? Reason, string? ArticleId, string? ScoreField = null, double? Min = null, double? Max = null)
{
    /// <summary>Score fields a range may use, mapped to their columns (never user text in SQL).</summary>
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["profanity"] = "s.profanity", ["relevance"] = "s.relevance", ["offTopicLength"] = "s.off_topic_length",
    };

    internal string RangeSql => ScoreField is null ? "" :
        $"AND EXISTS (SELECT 1 FROM scores s WHERE s.comment_id = q.comment_id AND {Columns[ScoreField]} >= @Min AND {Columns[ScoreField]} <= @Max)";
}

/// <summary>Undo of a moderator's own last decision, and decisions over a whole filtered set.</summary>
public sealed class QueueActions(Database db)
{
    sealed record DecidedEntry
    {
        public string? DecidedBy { get; init; }
        public string? DecidedAt { get; init; }
        public string Reasons { get; init; } = "";
        public string Status { get; init; } = "";
    }

    /// <summary>
    /// Reopens a decision the same key made within <paramref name="window"/>: the comment goes back to
    /// the status it had before the decision (from the audit log) and the queue entry to pending.
    /// </summary>
    public Task<UndoResult> UndoAsync(string commentId, string actor, TimeSpan window, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.LockReportCounterAsync(tx, ct);
            var entry = await c.QuerySingleOrDefaultAsync<DecidedEntry>(new CommandDefinition("""
                SELECT q.decided_by AS DecidedBy, q.decided_at AS DecidedAt, q.reasons AS Reasons, c.status AS Status
                FROM queue q JOIN comments c ON c.comment_id = q.comment_id WHERE q.comment_id = @commentId
                """, new { commentId }, tx, cancellationToken: ct));
            if (entry is null) return new UndoResult(UndoOutcome.NotFound, null);
            if (entry.DecidedAt is null) return new UndoResult(UndoOutcome.NotDecided, entry.Status);
            if (entry.DecidedBy != actor) return new UndoResult(UndoOutcome.NotYours, entry.Status);
            if (now - Database.ParseTime(entry.DecidedAt) > window) return new UndoResult(UndoOutcome.TooLate, entry.Status);
            var before = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
                SELECT status_before FROM audit WHERE comment_id = @commentId AND action IN ('approve', 'reject') ORDER BY id DESC LIMIT 1
                """, new { commentId }, tx, cancellationToken: ct)) ?? CommentStatus.Published;
            // A comment decided without ever being flagged has no reasons: its queue entry simply goes.
            await c.ExecuteAsync(new CommandDefinition(entry.Reasons == "[]"
                ? "DELETE FROM queue WHERE comment_id = @commentId"
                : "UPDATE queue SET state = 'pending', decided_at = NULL, decided_by = NULL, action = NULL, decision_reason = NULL, note = NULL WHERE comment_id = @commentId",
                new { commentId }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("UPDATE comments SET status = @before, updated_at = @at WHERE comment_id = @commentId",
                new { before, at = Database.Time(now), commentId }, tx, cancellationToken: ct));
            // An undo sends no webhook event (the contract has none for it); the site gets the status back.
            await StatusChanges.WriteAsync(c, tx, new StatusChange(commentId, entry.Status, before, actor, "undo", null, null), now, ct, StatusEffects.WriteBack);
            await Authors.AuthorRepository.RefreshQueuedPrioritiesAsync(c, tx, [commentId], now, ct);
            return new UndoResult(UndoOutcome.Undone, before);
        }, ct);

    static string BulkWhere(BulkFilter f) => $"""
        FROM queue q WHERE q.state = 'pending' AND q.flagged_at <= @asOf
          AND (@Reason IS NULL OR q.reason_codes LIKE '%,' || @Reason || ',%')
          AND (@ArticleId IS NULL OR q.article_id = @ArticleId)
          {f.RangeSql}
        """;

    static object Args(BulkFilter f, DateTimeOffset asOf) =>
        new { f.Reason, f.ArticleId, Min = f.Min ?? 0, Max = f.Max ?? 1, asOf = Database.Time(asOf) };

    public async Task<long> CountAsync(BulkFilter filter, DateTimeOffset asOf, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) " + BulkWhere(filter), Args(filter, asOf), cancellationToken: ct));
    }

    /// <summary>
    /// Decides every pending entry matching the filter that was flagged at or before <paramref name="asOf"/>
    /// (the moment the moderator saw the count), in one transaction, each with its own audit entry.
    /// </summary>
    public Task<int> DecideAllAsync(BulkFilter filter, DateTimeOffset asOf, string action, string? reasonCode, string? note, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.LockReportCounterAsync(tx, ct);
            var targets = (await c.QueryAsync<(string CommentId, string Status)>(new CommandDefinition(
                "SELECT q.comment_id, (SELECT status FROM comments WHERE comment_id = q.comment_id) " + BulkWhere(filter), Args(filter, asOf), tx, cancellationToken: ct))).AsList();
            var after = CommentDecisions.ByModerator(action);   // Core policy decides the status
            var at = Database.Time(now);
            foreach (var (commentId, status) in targets)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    UPDATE queue SET state = 'decided', decided_at = @at, decided_by = @actor, action = @action, decision_reason = @reasonCode, note = @note
                    WHERE comment_id = @commentId;
                    UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId;
                    """, new { at, actor, action, reasonCode, note, commentId, after }, tx, cancellationToken: ct));
                await StatusChanges.WriteAsync(c, tx, new StatusChange(commentId, status, after, actor, action,
                    new { reasonCode, note, bulk = true }, new { action, reasonCode, decidedBy = actor, bulk = true }), now, ct);
            }
            await Authors.AuthorRepository.RefreshQueuedPrioritiesAsync(c, tx, targets.Select(t => t.CommentId).ToList(), now, ct);
            return targets.Count;
        }, ct);
}
