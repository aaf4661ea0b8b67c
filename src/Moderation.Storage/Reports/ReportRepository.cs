using Dapper;
using Moderation.Core.Policy;
using Moderation.Storage.Audit;
using Moderation.Storage.Authors;
using Moderation.Storage.Webhooks;
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
    public Task<ReportResult> AddAsync(string commentId, string reporterKey, string? addressKey, string reason, string? details, ReportPolicy policy, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var status = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
            if (status is null) return new ReportResult(ReportOutcome.NotFound, 0, null);
            var inserted = await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO reports (comment_id, reporter_key, address_key, reason, details, created_at)
                VALUES (@commentId, @reporterKey, @addressKey, @reason, @details, @at)
                ON CONFLICT (comment_id, reporter_key) DO NOTHING
                """, new { commentId, reporterKey, addressKey, reason, details, at = Database.Time(now) }, tx, cancellationToken: ct));
            var tally = await ReportTallies.ForCommentAsync(c, tx, commentId, policy, ct);
            if (inserted == 0) return new ReportResult(ReportOutcome.Duplicate, tally.Count, status);
            if (status is not (CommentStatus.Published or CommentStatus.Pending or CommentStatus.Hidden))
                return new ReportResult(ReportOutcome.Added, tally.Count, status);

            var after = status == CommentStatus.Hidden || policy.Hides(tally) ? CommentStatus.Hidden : CommentStatus.Pending;
            var reasons = policy.Merge(await QueueRepository.ReasonsAsync(c, tx, commentId, ct), tally);
            var authorRate = await AuthorRepository.RejectionRateForCommentAsync(c, tx, commentId, now, ct);
            await QueueRepository.FlagAsync(c, tx, commentId, reasons, ModerationPolicy.Priority(reasons, tally.Weight, after == CommentStatus.Hidden, authorRate), now, ct);
            if (after != status)
            {
                await c.ExecuteAsync(new CommandDefinition("UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId",
                    new { after, at = Database.Time(now), commentId }, tx, cancellationToken: ct));
                var detail = new { tally.Count, weight = Math.Round(tally.Weight, 3), tally.ByReason };
                await AuditLog.WriteAsync(c, tx, now, "reader", "reported", commentId, status, after, detail, ct);
                await Outbox.StatusChangedAsync(c, tx, commentId, status, after, detail, now, ct);
            }
            return new ReportResult(ReportOutcome.Added, tally.Count, after);
        }, ct);

    public async Task<ReportTally> TallyAsync(string commentId, ReportPolicy policy, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ReportTallies.ForCommentAsync(c, null, commentId, policy, ct);
    }
}
