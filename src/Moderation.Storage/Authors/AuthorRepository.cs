using System.Data;
using Dapper;
using Moderation.Core.Policy;

namespace Moderation.Storage.Authors;

public sealed record AuthorStats
{
    public string AuthorId { get; init; } = "";
    public long Comments { get; init; }
    public long Approved { get; init; }
    public long Rejected { get; init; }
    public long Pending { get; init; }
    public long RecentDecided { get; init; }
    public long RecentRejected { get; init; }

    /// <summary>Rejected ÷ max(decided, 3) over the recent window: one rejection alone is a third, not all.</summary>
    public double RecentRejectionRate => RecentDecided == 0 ? 0 : Math.Round((double)RecentRejected / Math.Max(RecentDecided, 3), 3);
}

/// <summary>An author's record, by the authorId the site sends.</summary>
public sealed class AuthorRepository(Database db)
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(30);

    static readonly string StatsSql = $"""
        SELECT @authorId AS AuthorId, count(*) AS Comments,
               count(*) FILTER (WHERE c.status = 'approved') AS Approved,
               count(*) FILTER (WHERE c.status = 'rejected') AS Rejected,
               count(*) FILTER (WHERE c.status IN ('pending', 'hidden')) AS Pending,
               {RecentRecordColumns("@authorId")}
        FROM comments c
        WHERE c.author_id = @authorId
        """;

    public async Task<AuthorStats?> GetAsync(string authorId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var stats = await c.QuerySingleAsync<AuthorStats>(new CommandDefinition(StatsSql,
            new { authorId, since = Database.Time(now - RecentWindow) }, cancellationToken: ct));
        return stats.Comments == 0 ? null : stats;
    }

    /// <summary>
    /// <see cref="AuthorStats.RecentRejectionRate"/> of the author of each comment of the list <c>@ids</c>, as of <c>@since</c>
    /// (now − <see cref="RecentWindow"/>), in one statement for a worker batch, read by <see cref="RatesByComment"/>;
    /// the counts are <see cref="RecentRecordColumns"/>, as the report writer reads them. Comments without an author
    /// have no row (rate 0).
    /// </summary>
    internal static string RejectionRatesForCommentsSql(IDbConnection c) => $"""
        SELECT b.comment_id AS AuthorId, {RecentRecordColumns("b.author_id")}
        FROM comments b
        WHERE {c.In("b.comment_id", "@ids")} AND b.author_id IS NOT NULL
        """;

    /// <summary>
    /// The recent decided and rejected counts (<see cref="AuthorStats.RecentDecided"/>, <see cref="AuthorStats.RecentRejected"/>)
    /// of the author in <paramref name="authorColumn"/>, as of <c>@since</c>, as two columns of scalar subqueries, for a
    /// statement that reads comments and their authors (an author's record, the worker's batch, the report writer, a
    /// decision's priority refresh): the one spelling of the recent record. NULL author: zeros.
    /// </summary>
    internal static string RecentRecordColumns(string authorColumn) => $"""
        (SELECT count(*) FROM comments d JOIN queue q ON q.comment_id = d.comment_id
         WHERE d.author_id = {authorColumn} AND d.status IN ('approved', 'rejected') AND q.decided_at >= @since) AS RecentDecided,
        (SELECT count(*) FROM comments d JOIN queue q ON q.comment_id = d.comment_id
         WHERE d.author_id = {authorColumn} AND d.status = 'rejected' AND q.decided_at >= @since) AS RecentRejected
        """;

    /// <summary>The rows of <see cref="RejectionRatesForCommentsSql"/> (whose AuthorId column holds the comment id) by comment id.</summary>
    internal static Dictionary<string, double> RatesByComment(IEnumerable<AuthorStats> rows) =>
        rows.ToDictionary(r => r.AuthorId, r => r.RecentRejectionRate, StringComparer.Ordinal);

    sealed record QueuedEntry
    {
        public string CommentId { get; init; } = "";
        public string AuthorId { get; init; } = "";
        public string Status { get; init; } = "";
        public string Reasons { get; init; } = "";
    }

    /// <summary>
    /// A decision (or its undo) on these comments changed their authors' rejection rates: the priority of those authors'
    /// other pending queue entries is computed again, so a repeat offender's waiting comment moves up at once and not
    /// only when it is next flagged. The priority is Core policy's (CommentDecisions.Requeued): same formula, same inputs as when
    /// the entry was flagged, the report weight being the one its stored reader_reports reason carries.
    /// </summary>
    public static async Task RefreshQueuedPrioritiesAsync(IDbConnection c, IDbTransaction tx, IReadOnlyCollection<string> decidedCommentIds,
        DateTimeOffset now, CancellationToken ct)
    {
        // In chunks: a bulk decision may cover more comments than SQLite takes parameters.
        foreach (var chunk in decidedCommentIds.Chunk(500))
        {
            var entries = (await c.QueryAsync<QueuedEntry>(new CommandDefinition($"""
                SELECT q.comment_id AS CommentId, c.author_id AS AuthorId, c.status AS Status, q.reasons AS Reasons
                FROM comments c JOIN queue q ON q.comment_id = c.comment_id
                WHERE c.author_id IN (SELECT author_id FROM comments WHERE {c.In("comment_id", "@chunk")} AND author_id IS NOT NULL)
                  AND q.state = 'pending'
                """, new { chunk }, tx, cancellationToken: ct))).AsList();
            if (entries.Count == 0) continue;
            var rates = await RejectionRatesAsync(c, tx, entries.Select(e => e.AuthorId).Distinct(StringComparer.Ordinal).ToList(), now, ct);
            var updates = entries.Select(e =>
            {
                var reasons = Queue.QueueRepository.ParseReasons(e.Reasons);
                var priority = CommentDecisions.Requeued(reasons, e.Status, rates.GetValueOrDefault(e.AuthorId));
                return new { e.CommentId, priority };
            });
            await c.ExecuteAsync(new CommandDefinition("UPDATE queue SET priority = @priority WHERE comment_id = @CommentId AND state = 'pending'",
                updates, tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// <see cref="AuthorStats.RecentRejectionRate"/> per author, the counts being <see cref="RecentRecordColumns"/> (the
    /// one spelling of the recent record, as <see cref="GetAsync"/>, the worker's batch and the report writer read it).
    /// Authors with no decided comment are left out (rate 0); every part reads only decided comments (which
    /// ix_comments_author_decided, migration 006, holds), not every comment an author wrote as <see cref="GetAsync"/> does.
    /// </summary>
    static async Task<Dictionary<string, double>> RejectionRatesAsync(IDbConnection c, IDbTransaction tx,
        IReadOnlyCollection<string> authorIds, DateTimeOffset now, CancellationToken ct) =>
        (await c.QueryAsync<AuthorStats>(new CommandDefinition($"""
            SELECT a.author_id AS AuthorId, {RecentRecordColumns("a.author_id")}
            FROM (SELECT DISTINCT author_id FROM comments WHERE {c.In("author_id", "@authorIds")} AND status IN ('approved', 'rejected')) a
            """, new { authorIds, since = Database.Time(now - RecentWindow) }, tx, cancellationToken: ct)))
            .ToDictionary(s => s.AuthorId, s => s.RecentRejectionRate, StringComparer.Ordinal);
}
