using System.Data;
using Dapper;
using Moderation.Storage.Audit;
using static Moderation.Storage.Reports.AnonymousKeySql;

namespace Moderation.Storage.Retention;

/// <summary>How far back each kind of data is kept; null keeps it.</summary>
public sealed record RetentionCutoffs(DateTimeOffset? DecidedTexts, DateTimeOffset? ReportDetails, DateTimeOffset? AddressHashes);

public sealed record RetentionPurge(int Texts, int ReportDetails, int AddressHashes)
{
    public bool Any => Texts + ReportDetails + AddressHashes > 0;
}

/// <summary>
/// The retention purge (docs/OPERATIONS.md, "Retention"). Decided comments decided before the cutoff lose their text
/// (emptied, <c>text_removed = 'retention'</c>), the text kept from before an edit and the embedding derived from it;
/// their scores, decision and audit entries stay. Reports older than their cutoffs lose the details, or the hashed
/// client address (and an anonymous reader's key, which is that hash). Work goes in chunks, each its own short
/// transaction, so writers never wait long; one audit entry per run that removed anything says how many.
/// </summary>
public sealed class RetentionRepository(Database db)
{
    const int Chunk = 500;

    public async Task<RetentionPurge> PurgeAsync(RetentionCutoffs cutoffs, DateTimeOffset now, CancellationToken ct)
    {
        int texts = 0, details = 0, addresses = 0;
        if (cutoffs.DecidedTexts is { } t)
            texts = await InChunksAsync("""
                WITH due AS (
                    SELECT q.comment_id FROM queue q JOIN comments c ON c.comment_id = q.comment_id
                    WHERE q.state = 'decided' AND q.decided_at < @cutoff AND c.status IN ('approved', 'rejected') AND c.text_removed IS NULL
                    LIMIT @chunk)
                UPDATE comments SET text = '', text_removed = 'retention' WHERE comment_id IN (SELECT comment_id FROM due)
                RETURNING comment_id
                """, t, ct, after: c => $"""
                DELETE FROM decided_texts WHERE {c.In("comment_id", "@ids")};
                UPDATE scores SET embedding = NULL WHERE {c.In("comment_id", "@ids")};
                """);
        if (cutoffs.ReportDetails is { } d)
            details = await InChunksAsync("""
                UPDATE reports SET details = NULL
                WHERE id IN (SELECT id FROM reports WHERE created_at < @cutoff AND details IS NOT NULL LIMIT @chunk)
                RETURNING comment_id
                """, d, ct);
        if (cutoffs.AddressHashes is { } a)
            addresses = await InChunksAsync($"""
                UPDATE reports SET address_key = NULL,
                    reporter_key = CASE WHEN {StartsWith("reporter_key", Prefix)} THEN '{ExpiredPrefix}' || id ELSE reporter_key END
                WHERE id IN (SELECT id FROM reports WHERE created_at < @cutoff
                    AND (address_key IS NOT NULL OR ({StartsWith("reporter_key", Prefix)} AND NOT {StartsWith("reporter_key", ExpiredPrefix)}
                        AND NOT {StartsWith("reporter_key", ErasedPrefix)})) LIMIT @chunk)
                RETURNING comment_id
                """, a, ct);
        var purge = new RetentionPurge(texts, details, addresses);
        if (purge.Any)
            await db.InTransactionAsync(async (c, tx) =>
            {
                await AuditLog.WriteAsync(c, tx, now, "retention", "retention_purged", null, null, null, purge, ct);
                return 0;
            }, ct);
        return purge;
    }

    /// <summary>The longest pause between two chunks (<see cref="InChunksAsync"/>).</summary>
    static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="sql"/> (which returns the comment ids it touched) until a chunk comes back short, pausing
    /// after each full chunk as long as it took (at most <see cref="MaxPause"/>). Usually a run finds one short chunk; a
    /// catch-up (an import of old reports, a retention setting shortened) finds hundreds of thousands of rows, and chunks
    /// run back to back took a database core for minutes (PostgreSQL: ~59 ms of server time per chunk of 500 reports;
    /// queue listing p99 rose from ~6 to 10–13 ms meanwhile; docs/SCALING.md). Paused, it takes at most about half.
    /// </summary>
    async Task<int> InChunksAsync(string sql, DateTimeOffset cutoff, CancellationToken ct, Func<IDbConnection, string>? after = null)
    {
        var total = 0;
        while (true)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var n = await db.InTransactionAsync(async (c, tx) =>
            {
                var ids = (await c.QueryAsync<string>(new CommandDefinition(sql, new { cutoff = Database.Time(cutoff), chunk = Chunk }, tx, cancellationToken: ct))).AsList();
                if (after is not null && ids.Count > 0) await c.ExecuteAsync(new CommandDefinition(after(c), new { ids }, tx, cancellationToken: ct));
                return ids.Count;
            }, ct);
            total += n;
            if (n < Chunk) return total;
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            await Task.Delay(took < MaxPause ? took : MaxPause, ct);
        }
    }
}
