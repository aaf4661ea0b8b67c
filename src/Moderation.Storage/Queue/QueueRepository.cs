using System.Data;
using System.Text.Json;
using Dapper;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage.Comments;

namespace Moderation.Storage.Queue;

public sealed record QueueRow
{
    public string CommentId { get; init; } = "";
    public string ArticleId { get; init; } = "";
    public string Excerpt { get; init; } = "";
    public string Status { get; init; } = "";
    public double Priority { get; init; }
    public string Reasons { get; init; } = "";
    public long ReportCount { get; init; }
    public string FlaggedAt { get; init; } = "";
    public string State { get; init; } = "";
    public string? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? Action { get; init; }
}

public enum DecisionOutcome { Decided, NotFound, AlreadyDecided }

public sealed record DecisionResult(DecisionOutcome Outcome, string? StatusBefore, string? StatusAfter, string? DecidedBy, string? Action);

public sealed class QueueRepository(Database db)
{
    sealed record Decided
    {
        public string? DecidedBy { get; init; }
        public string? Action { get; init; }
    }

    /// <summary>The statement of <see cref="FlagAsync"/> (parameters @commentId, @priority, @codes, @reasons, @at), for writers that keep it prepared.</summary>
    internal const string FlagSql = """
        INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
        SELECT comment_id, article_id, 'pending', @priority, @codes, @reasons, @at FROM comments WHERE comment_id = @commentId
        ON CONFLICT (comment_id) DO UPDATE SET
            flagged_at = CASE WHEN queue.state = 'pending' THEN queue.flagged_at ELSE excluded.flagged_at END,
            state = 'pending', priority = excluded.priority, reason_codes = excluded.reason_codes, reasons = excluded.reasons,
            decided_at = NULL, decided_by = NULL, action = NULL, decision_reason = NULL, note = NULL
        """;

    /// <summary>
    /// The report writer's <see cref="FlagSql"/>, run right after it inserted a report on the comment: an entry that
    /// already existed also counts that report (a new entry counts the comment's reports through migration 008's insert
    /// trigger; a report's insert fires no trigger since migration 014).
    /// </summary>
    internal const string FlagReportedSql = FlagSql + ", report_count = queue.report_count + 1";

    /// <summary>Puts a comment in the queue (pending), or refreshes its reasons and priority; a decided entry is reopened.</summary>
    public static Task FlagAsync(IDbConnection c, IDbTransaction tx, string commentId, IReadOnlyList<Reason> reasons, double priority, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(FlagSql,
            new { commentId, priority, codes = CodesOf(reasons), reasons = JsonSerializer.Serialize(reasons, Json.Options), at = Database.Time(now) },
            tx, cancellationToken: ct));

    /// <summary>The statement of <see cref="FlagAsync"/>, prepared once for a batch that flags many comments.</summary>
    internal static PreparedCommand PrepareFlag(WriteBuffer buffer, string sql = FlagSql) =>
        new(buffer, sql, "@commentId", "@priority", "@codes", "@reasons", "@at");

    internal static void Flag(PreparedCommand flag, string commentId, IReadOnlyList<Reason> reasons, double priority, DateTimeOffset now) =>
        flag.Write(commentId, priority, CodesOf(reasons), JsonSerializer.Serialize(reasons, Json.Options), Database.Time(now));

    /// <summary>',profanity,off_topic,' — so a reason filter is one LIKE on an indexed row, not a JSON scan.</summary>
    internal static string CodesOf(IEnumerable<Reason> reasons) => "," + string.Join(",", reasons.Select(r => r.Code).Distinct()) + ",";

    public static async Task<IReadOnlyList<Reason>> ReasonsAsync(IDbConnection c, IDbTransaction tx, string commentId, CancellationToken ct) =>
        ParseReasons(await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(ReasonsSql, new { commentId }, tx, cancellationToken: ct)));

    /// <summary>The statement of <see cref="ReasonsAsync"/> (parameter @commentId) and how its result is read.</summary>
    internal const string ReasonsSql = "SELECT reasons FROM queue WHERE comment_id = @commentId";

    internal static IReadOnlyList<Reason> ParseReasons(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<Reason>>(json, Json.Options) ?? [];

    public async Task<IReadOnlyList<QueueRow>> ListAsync(QueueQuery q, CancellationToken ct)
    {
        var (order, after) = q.Sort switch
        {
            QueueSort.Newest => ("q.flagged_at DESC, q.comment_id DESC", "(q.flagged_at < @key OR (q.flagged_at = @key AND q.comment_id < @afterId))"),
            QueueSort.Oldest => ("q.flagged_at ASC, q.comment_id ASC", "(q.flagged_at > @key OR (q.flagged_at = @key AND q.comment_id > @afterId))"),
            _ => ("q.priority DESC, q.flagged_at ASC, q.comment_id ASC",
                "(q.priority < @priorityKey OR (q.priority = @priorityKey AND (q.flagged_at > @key OR (q.flagged_at = @key AND q.comment_id > @afterId))))"),
        };
        // Two steps: the page's entries are found in the index alone (every queue index holds the sort columns and
        // comment_id), then only those entries are read. In one step SQLite read each entry's row before testing the
        // cursor, so a second page behind many equal priorities read every skipped entry (3,400 rows for 200: ~4 ms).
        // The entry carries its comment's excerpt and status and its report count (migration 008): one page per entry.
        // Only the filters given are in the SQL: "(@x IS NULL OR col = @x)" keeps SQLite from using the
        // (article_id, state, …) indexes of migration 004 (an article filter scanned the whole queue).
        // The page size is a literal (an int the API bounded), not a parameter: PostgreSQL plans a prepared statement's
        // LIMIT $n for 10 % of the rows, so its generic plan hashed the whole queue (1.4 s at 1M rows) and every request
        // was planned anew instead (0.3 ms of the server's CPU, and a p99 tail); with the number in the text the generic
        // plan is the index walk and is planned once per connection.
        var limit = q.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sql = $"""
            WITH page AS MATERIALIZED (
                SELECT q.comment_id FROM queue q
                WHERE q.state = @State
                  {ReasonFilter(q.Reason)}
                  {(q.ArticleId is null ? "" : "AND q.article_id = @ArticleId")}
                  {(q.After is null ? "" : "AND " + after)}
                ORDER BY {order}
                LIMIT {limit})
            SELECT q.comment_id AS CommentId, q.article_id AS ArticleId, q.excerpt AS Excerpt, q.comment_status AS Status,
                   q.priority AS Priority, q.reasons AS Reasons, q.report_count AS ReportCount,
                   q.flagged_at AS FlaggedAt, q.state AS State, q.decided_at AS DecidedAt, q.decided_by AS DecidedBy, q.action AS Action
            FROM page JOIN queue q ON q.comment_id = page.comment_id
            ORDER BY {order}
            """;
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<QueueRow>(new CommandDefinition(sql, new
        {
            q.State, q.Reason, q.ArticleId,
            key = q.After?.Key, priorityKey = q.After?.Priority ?? 0,
            afterId = q.After?.CommentId,
        }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// A known reason code (letters and '_') is inlined as the literal predicate of its partial indexes
    /// (migration 004); anything else stays a bound parameter.
    /// </summary>
    static string ReasonFilter(string? reason) =>
        reason is null ? ""
        : reason.Length <= 40 && reason.All(ch => ch is (>= 'a' and <= 'z') or '_') ? $"AND instr(q.reason_codes, ',{reason},') > 0"
        : "AND instr(q.reason_codes, ',' || @Reason || ',') > 0";

    /// <summary>The reasons a queued comment is shown with (scores, reports, failures), as JSON; null when never queued.</summary>
    public async Task<string?> GetReasonsAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT reasons FROM queue WHERE comment_id = @commentId AND reasons <> '[]'", new { commentId }, cancellationToken: ct));
    }

    /// <summary>When the comment entered the queue (null: never queued), for the time-to-decision metric.</summary>
    public async Task<DateTimeOffset?> FlaggedAtAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return Database.ParseTimeOrNull(await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT flagged_at FROM queue WHERE comment_id = @commentId", new { commentId }, cancellationToken: ct)));
    }

    /// <summary>
    /// Approves or rejects. Serialised by the write lock, so of two moderators deciding at once the
    /// second sees the first's decision (409) unless an admin forces it.
    /// A comment that was never flagged may be decided too; it gets a decided queue entry.
    /// </summary>
    public Task<DecisionResult> DecideAsync(string commentId, string action, string? reasonCode, string? note, string actor, bool force, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.LockReportCounterAsync(tx, ct);
            var status = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
            if (status is null) return new DecisionResult(DecisionOutcome.NotFound, null, null, null, null);
            var decided = await c.QuerySingleOrDefaultAsync<Decided>(new CommandDefinition(
                "SELECT decided_by AS DecidedBy, action FROM queue WHERE comment_id = @commentId AND state = 'decided'", new { commentId }, tx, cancellationToken: ct));
            if (decided is not null && !force)
                return new DecisionResult(DecisionOutcome.AlreadyDecided, status, status, decided.DecidedBy, decided.Action);
            var after = CommentDecisions.ByModerator(action);   // Core policy decides the status
            var at = Database.Time(now);
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at, decided_at, decided_by, action, decision_reason, note)
                SELECT comment_id, article_id, 'decided', 0, ',', '[]', @at, @at, @actor, @action, @reasonCode, @note FROM comments WHERE comment_id = @commentId
                ON CONFLICT (comment_id) DO UPDATE SET state = 'decided', decided_at = @at, decided_by = @actor, action = @action,
                    decision_reason = @reasonCode, note = @note
                """, new { commentId, at, actor, action, reasonCode, note }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId", new { after, at, commentId }, tx, cancellationToken: ct));
            await StatusChanges.WriteAsync(c, tx, new StatusChange(commentId, status, after, actor, action,
                new { reasonCode, note, force }, new { action, reasonCode, decidedBy = actor }), now, ct);
            await Authors.AuthorRepository.RefreshQueuedPrioritiesAsync(c, tx, [commentId], now, ct);
            return new DecisionResult(DecisionOutcome.Decided, status, after, actor, action);
        }, ct);
}
