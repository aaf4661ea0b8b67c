using System.Data;
using System.Text.Json;
using Dapper;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage.Comments;
using Moderation.Storage.Authors;
using Moderation.Storage.Reports;
using Moderation.Storage.Queue;
using Moderation.Storage.Sources;

namespace Moderation.Storage.Inbox;

public sealed record ClaimedComment
{
    public long Seq { get; init; }
    public string CommentId { get; init; } = "";
    public string ArticleId { get; init; } = "";
    public string Text { get; init; } = "";
    public long TextVersion { get; init; }
    public string? ParentId { get; init; }
    public long Attempts { get; init; }
    /// <summary>approved or rejected when this text is an edit of a comment a moderator decided (migration 009), else null.</summary>
    public string? DecidedAs { get; init; }
}

public sealed record ArticleForScoring
{
    public string ArticleId { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public long Version { get; init; }
}

/// <summary>A scored comment under an article, as thread context for the next ones.</summary>
public sealed record RecentComment(string CommentId, long Seq, int WordCount, float[]? Embedding);

/// <summary>The worker's result for one comment at one text version.</summary>
public sealed record ScoredComment(string CommentId, long TextVersion, ScoreResult Result, Verdict Verdict, int WordCount);

/// <summary>
/// The worker's side of the comments table: claim a batch under a lease, read thread context,
/// and write a whole batch (scores, status, queue entries, audit) in one transaction.
/// </summary>
public sealed class InboxRepository(Database db)
{
    /// <summary>
    /// Leases up to <paramref name="limit"/> received comments, oldest first. A lease that runs out
    /// (a worker died) makes the comments claimable again, so a crash loses nothing. A lease is bookkeeping nobody was
    /// promised, so it is written without a sync of its own (<see cref="Database.OpenUnsyncedAsync"/>).
    /// On PostgreSQL several worker processes claim at once: each skips the rows another's claim is taking (SKIP
    /// LOCKED) instead of waiting for them and then leasing the same comments again.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedComment>> ClaimAsync(string owner, int limit, TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenUnsyncedAsync(ct);
        var rows = await c.QueryAsync<ClaimedComment>(new CommandDefinition($"""
            UPDATE comments SET lease_owner = @owner, lease_until = @until
            WHERE seq IN (
                SELECT seq FROM comments
                WHERE status = 'received'
                  AND (lease_until IS NULL OR lease_until < @now)
                  AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
                ORDER BY seq LIMIT @limit{c.SkipLocked()})
            RETURNING seq, comment_id AS CommentId, article_id AS ArticleId, text, text_version AS TextVersion, parent_id AS ParentId, attempts,
                (SELECT d.decision FROM decided_texts d WHERE d.comment_id = comments.comment_id) AS DecidedAs
            """, new { owner, until = Database.Time(now + lease), now = Database.Time(now), limit }, cancellationToken: ct));
        return rows.OrderBy(r => r.Seq).ToList();
    }

    /// <summary>Gives back what <paramref name="owner"/> still holds (a graceful stop), so the next worker need not wait for the lease.</summary>
    public async Task<int> ReleaseAsync(string owner, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE comments SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner AND status = 'received'",
            new { owner }, cancellationToken: ct));
    }

    /// <summary>When the oldest comment still waiting to be scored arrived (null: none waits), for readiness. Reads the
    /// first entry of ix_comments_inbox (a partial index on the waiting ones), so its cost does not grow with the table.</summary>
    public async Task<DateTimeOffset?> OldestUnscoredAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return Database.ParseTimeOrNull(await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT received_at FROM comments WHERE status = 'received' ORDER BY seq LIMIT 1", cancellationToken: ct)));
    }

    public async Task<ArticleForScoring?> GetArticleAsync(string articleId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ArticleForScoring>(new CommandDefinition(
            "SELECT article_id AS ArticleId, title, body, version FROM articles WHERE article_id = @articleId", new { articleId }, cancellationToken: ct));
    }

    /// <summary>
    /// The most recent scored comments under each of these articles (at most <paramref name="limit"/> each, newest
    /// first), for the worker's thread context. One statement for all articles: a LIMIT branch per article joined by
    /// UNION ALL, each an index range on ix_comments_article_scored (migration 006); embeddings decoded.
    /// </summary>
    public async Task<Dictionary<string, List<RecentComment>>> GetRecentScoredAsync(IReadOnlyCollection<string> articleIds, int limit, CancellationToken ct)
    {
        var recent = new Dictionary<string, List<RecentComment>>(StringComparer.Ordinal);
        if (articleIds.Count == 0) return recent;
        await using var c = await db.OpenAsync(ct);
        foreach (var chunk in articleIds.Distinct(StringComparer.Ordinal).Chunk(100))   // SQLite allows 500 terms in a compound SELECT
        {
            // A plain reader, not Dapper: the text differs with the number of articles, and Dapper emits and JIT-compiles
            // a row reader for every distinct text (10 % of the worker's CPU in a profile of a backlog drain).
            await using var cmd = c.CreateCommand();
            cmd.CommandText = string.Join("\nUNION ALL\n", chunk.Select((_, i) => $"""
                SELECT * FROM (SELECT c.article_id, c.seq, c.comment_id, s.word_count, s.embedding
                    FROM comments c JOIN scores s ON s.comment_id = c.comment_id
                    WHERE c.article_id = @a{i} AND c.status <> 'received' ORDER BY c.seq DESC LIMIT @limit) AS recent{i}
                """));
            cmd.Parameters.Add(Parameter(cmd, "@limit", limit));
            for (int i = 0; i < chunk.Length; i++) cmd.Parameters.Add(Parameter(cmd, $"@a{i}", chunk[i]));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var articleId = reader.GetString(0);
                var embedding = reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4);
                (recent.TryGetValue(articleId, out var list) ? list : recent[articleId] = []).Add(new RecentComment(
                    reader.GetString(2), reader.GetInt64(1), reader.GetInt32(3), embedding is { Length: > 0 } ? EmbeddingCodec.Decode(embedding) : null));
            }
        }
        foreach (var list in recent.Values) list.Sort((a, b) => b.Seq.CompareTo(a.Seq));
        return recent;
    }

    static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        return p;
    }

    /// <summary>The relevance of those of these comments that are scored.</summary>
    public async Task<Dictionary<string, double>> GetRelevanceAsync(IReadOnlyCollection<string> commentIds, CancellationToken ct)
    {
        if (commentIds.Count == 0) return new Dictionary<string, double>(StringComparer.Ordinal);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Id, double Relevance)>(new CommandDefinition(
                $"SELECT comment_id, relevance FROM scores WHERE {c.In("comment_id", "@commentIds")}", new { commentIds }, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.Relevance, StringComparer.Ordinal);
    }

    /// <summary>The current version of each of these articles (missing ones are left out): one query for a batch.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetArticleVersionsAsync(IReadOnlyCollection<string> articleIds, CancellationToken ct)
    {
        if (articleIds.Count == 0) return new Dictionary<string, long>();
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Id, long Version)>(new CommandDefinition(
            $"SELECT article_id, version FROM articles WHERE {c.In("article_id", "@articleIds")}", new { articleIds }, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.Version, StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes one batch in one transaction. Idempotent on (comment, text version): a comment edited or
    /// decided since it was claimed is skipped, and a retried batch writes nothing twice.
    /// Returns the ids written. Which comments still wait at their claimed version is read first, in one statement that
    /// also locks them on PostgreSQL (FOR UPDATE: nobody edits or decides them until this commits; on SQLite the
    /// transaction holds the database's write lock). The three writes every comment needs (status, scores, audit) and
    /// its queue entry are prepared once per batch and held in a <see cref="WriteBuffer"/>: on PostgreSQL the whole
    /// batch goes to the server in one round trip. What only some comments need (report tallies, authors' rejection
    /// rates, an old queue row to drop, webhooks) is looked up once per batch.
    /// The final status, queue reasons and priority are <see cref="CommentDecisions.Scored"/>'s: storage decides nothing.
    /// </summary>
    public Task<IReadOnlyList<string>> WriteBatchAsync(IReadOnlyList<ScoredComment> batch, ReportPolicy reports, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync<IReadOnlyList<string>>(async (c, tx) =>
        {
            var written = new List<string>(batch.Count);
            if (batch.Count == 0) return written;
            var ids = batch.Select(x => x.CommentId).ToList();
            // Everything the batch reads before it writes, in one command: one round trip on PostgreSQL (each read was one,
            // and while the scorer kept both cores busy each cost 1-3 ms), statement after statement on SQLite.
            HashSet<(string Id, long Version)> waiting;
            HashSet<string> reported, queued, fromSources;
            bool webhooks;
            Dictionary<string, double> authorRates;
            using (var reads = await c.QueryMultipleAsync(new CommandDefinition($"""
                {c.ShareReportCounterFirst()}
                SELECT comment_id, text_version FROM comments WHERE {c.In("comment_id", "@ids")} AND status = 'received'{c.ForUpdate()};
                SELECT DISTINCT comment_id FROM reports WHERE {c.In("comment_id", "@ids")};
                SELECT comment_id FROM queue WHERE {c.In("comment_id", "@ids")};
                SELECT EXISTS (SELECT 1 FROM webhooks WHERE revoked_at IS NULL);
                {WriteBackOutbox.FromSourcesSql(c)};
                {AuthorRepository.RejectionRatesForCommentsSql(c)};
                """, new { ids, since = Database.Time(now - AuthorRepository.RecentWindow) }, tx, cancellationToken: ct)))
            {
                waiting = (await reads.ReadAsync<(string Id, long Version)>()).ToHashSet();
                reported = (await reads.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
                queued = (await reads.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
                webhooks = await reads.ReadSingleAsync<long>() == 1;
                fromSources = (await reads.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
                authorRates = AuthorRepository.RatesByComment(await reads.ReadAsync<AuthorStats>());
            }
            var at = Database.Time(now);

            using var buffer = new WriteBuffer(c, tx);
            using var markScored = new PreparedCommand(buffer, """
                UPDATE comments SET status = @status, updated_at = @at, lease_owner = NULL, lease_until = NULL,
                    attempts = 0, next_attempt_at = NULL, last_error = NULL
                WHERE comment_id = @id AND text_version = @version AND status = 'received'
                """, "@status", "@at", "@id", "@version");
            using var saveScores = new PreparedCommand(buffer, """
                INSERT INTO scores (comment_id, text_version, profanity, relevance, off_topic_length, reasons, word_count, embedding, scored_at)
                VALUES (@id, @version, @profanity, @relevance, @otl, @reasons, @words, @embedding, @at)
                ON CONFLICT (comment_id) DO UPDATE SET text_version = excluded.text_version, profanity = excluded.profanity,
                    relevance = excluded.relevance, off_topic_length = excluded.off_topic_length, reasons = excluded.reasons,
                    word_count = excluded.word_count, embedding = excluded.embedding, scored_at = excluded.scored_at
                """, "@id", "@version", "@profanity", "@relevance", "@otl", "@reasons", "@words", "@embedding", "@at");
            using var changes = new StatusChanges.Batch(buffer);
            using var flag = QueueRepository.PrepareFlag(buffer);
            foreach (var s in batch)
            {
                ct.ThrowIfCancellationRequested();
                if (!waiting.Remove((s.CommentId, s.TextVersion))) continue;   // edited, decided or written since the claim (or twice in this batch)
                // Reports that came in before the comment was scored apply now: Core policy decides (CommentDecisions.Scored),
                // this only reads its inputs and writes what it answers.
                var tally = ReportTally.None;
                if (reported.Contains(s.CommentId))
                {
                    buffer.Flush();   // a read between held writes sees them written
                    tally = await ReportTallies.ForCommentAsync(c, tx, s.CommentId, reports, ct);
                }
                var final = CommentDecisions.Scored(s.Verdict, tally, reports, authorRates.GetValueOrDefault(s.CommentId));
                var (status, reasons) = (final.Status, final.Reasons);
                markScored.Write(status, at, s.CommentId, s.TextVersion);
                var scores = s.Result.Scores;
                saveScores.Write(s.CommentId, s.TextVersion, scores.Profanity, scores.Relevance, scores.OffTopicLength,
                    JsonSerializer.Serialize(s.Verdict.Reasons, Json.Options), s.WordCount,
                    s.Result.Embedding is null ? null : EmbeddingCodec.Encode(s.Result.Embedding), at);
                if (final.Queued)
                    QueueRepository.Flag(flag, s.CommentId, reasons, final.Priority, now);
                else if (queued.Contains(s.CommentId))   // flagged at an earlier text version, clean now
                {
                    buffer.Flush();
                    await c.ExecuteAsync(new CommandDefinition("DELETE FROM queue WHERE comment_id = @CommentId", new { s.CommentId }, tx, cancellationToken: ct));
                }
                // What a batch knows none of its comments need (no webhook subscribed, not from a source) is not even looked for.
                var effects = (webhooks ? StatusEffects.Webhooks : StatusEffects.None) | (fromSources.Contains(s.CommentId) ? StatusEffects.WriteBack : StatusEffects.None);
                await changes.WriteAsync(new StatusChange(s.CommentId, CommentStatus.Received, status, "worker", "scored",
                    new { scores, reasons = reasons.Select(r => r.Code) }, webhooks ? new { reasons = reasons.Select(r => r.Code) } : null), now, effects, ct);
                written.Add(s.CommentId);
            }
            buffer.Flush();
            return written;
        }, ct, IsolationLevel.ReadCommitted);   // PostgreSQL: see Database.InTransactionAsync

    /// <summary>
    /// Records a failed attempt. After <paramref name="maxAttempts"/> the comment is hidden and queued
    /// with reason scoring_failed, so a human sees it and the worker stops retrying it (the decision is
    /// <see cref="CommentDecisions.ScoringFailed"/>'s; this writes it).
    /// </summary>
    public Task<bool> RecordFailureAsync(ClaimedComment comment, string error, int maxAttempts, TimeSpan retryAfter, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.ShareReportCounterAsync(tx, ct);
            var attempts = comment.Attempts + 1;
            var failed = CommentDecisions.ScoringFailed(attempts, maxAttempts, error, comment.DecidedAs);   // null: try again later
            var changed = await c.ExecuteAsync(new CommandDefinition("""
                UPDATE comments SET attempts = @attempts, last_error = @error, lease_owner = NULL, lease_until = NULL,
                    next_attempt_at = @next, status = @status, updated_at = @at
                WHERE comment_id = @CommentId AND text_version = @TextVersion AND status = 'received'
                """, new { attempts, error, next = Database.Time(now + retryAfter), status = failed?.Status ?? CommentStatus.Received,
                    at = Database.Time(now), comment.CommentId, comment.TextVersion }, tx, cancellationToken: ct));
            if (changed == 0 || failed is null) return false;
            await QueueRepository.FlagAsync(c, tx, comment.CommentId, failed.Reasons, failed.Priority, now, ct);
            await StatusChanges.WriteAsync(c, tx, new StatusChange(comment.CommentId, CommentStatus.Received, failed.Status, "worker", "scoring_failed",
                new { attempts, error }, new { reasons = failed.Reasons.Select(r => r.Code) }), now, ct);
            return true;
        }, ct, IsolationLevel.ReadCommitted);
}
