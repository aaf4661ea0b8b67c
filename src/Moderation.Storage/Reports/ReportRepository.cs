using Dapper;
using Moderation.Core.Policy;
using Moderation.Storage.Audit;
using Moderation.Storage.Inbox;
using Moderation.Storage.Queue;

namespace Moderation.Storage.Reports;

public enum ReportOutcome { Added, Duplicate, NotFound }

public sealed record ReportResult(ReportOutcome Outcome, int Count, string? Status);

public sealed class ReportRepository(Database db)
{
    /// <summary>
    /// Records a report once per (comment, reporter) and applies <see cref="ReportPolicy"/> in the
    /// same transaction: a shown comment enters the queue, and enough reporters hide it.
    /// A comment not scored yet only gets the report recorded; the worker counts it when it scores.
    /// </summary>
    public Task<ReportResult> AddAsync(string commentId, string reporterKey, string reason, string? details, ReportPolicy policy, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var status = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
            if (status is null) return new ReportResult(ReportOutcome.NotFound, 0, null);
            var inserted = await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO reports (comment_id, reporter_key, reason, details, created_at) VALUES (@commentId, @reporterKey, @reason, @details, @at)
                ON CONFLICT (comment_id, reporter_key) DO NOTHING
                """, new { commentId, reporterKey, reason, details, at = Database.Time(now) }, tx, cancellationToken: ct));
            var byReason = await InboxRepository.ReportsByReasonAsync(c, tx, commentId, ct);
            var count = byReason.Values.Sum();
            if (inserted == 0) return new ReportResult(ReportOutcome.Duplicate, count, status);
            if (status is not (CommentStatus.Published or CommentStatus.Pending or CommentStatus.Hidden))
                return new ReportResult(ReportOutcome.Added, count, status);

            var after = status == CommentStatus.Hidden || policy.Hides(count) ? CommentStatus.Hidden : CommentStatus.Pending;
            var reasons = policy.Merge(await QueueRepository.ReasonsAsync(c, tx, commentId, ct), count, byReason);
            await QueueRepository.FlagAsync(c, tx, commentId, reasons, ModerationPolicy.Priority(reasons, count, after == CommentStatus.Hidden), now, ct);
            if (after != status)
            {
                await c.ExecuteAsync(new CommandDefinition("UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId",
                    new { after, at = Database.Time(now), commentId }, tx, cancellationToken: ct));
                await AuditLog.WriteAsync(c, tx, now, "reader", "reported", commentId, status, after, new { count, byReason }, ct);
            }
            return new ReportResult(ReportOutcome.Added, count, after);
        }, ct);

    public async Task<Dictionary<string, int>> ByReasonAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await InboxRepository.ReportsByReasonAsync(c, null, commentId, ct);
    }
}
