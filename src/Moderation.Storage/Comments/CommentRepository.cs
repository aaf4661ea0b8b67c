using Dapper;
using Moderation.Core.Policy;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Comments;

/// <param name="Site">Which comment of a pull source it is and its status there: recorded with a new comment, in the same
/// transaction (<see cref="Sources.SiteStatusRepository.FirstSeenSql"/>), so no one sees it without its site status.</param>
public sealed record NewComment(string CommentId, string ArticleId, string Text, string? AuthorId, string? AuthorName, string? ParentId, string? PostedAt,
    Sources.SiteOrigin? Site = null);

public enum IngestOutcome { Created, Unchanged, Edited, OtherArticle }

public sealed record IngestResult(IngestOutcome Outcome, string Status);

public sealed record CommentRow
{
    public string CommentId { get; init; } = "";
    public string ArticleId { get; init; } = "";
    public string Text { get; init; } = "";
    public long TextVersion { get; init; }
    public string? AuthorId { get; init; }
    public string? AuthorName { get; init; }
    public string? ParentId { get; init; }
    public string? PostedAt { get; init; }
    public string Status { get; init; } = "";
    public string ReceivedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";
    public long Attempts { get; init; }
    public string? LastError { get; init; }
    /// <summary>'retention' when the purge emptied the text (migration 010), else null.</summary>
    public string? TextRemoved { get; init; }
}

/// <summary>The text of a comment as a moderator decided it (approved or rejected), kept when the site edited it.</summary>
public sealed record DecidedText
{
    public long TextVersion { get; init; }
    public string Text { get; init; } = "";
    public string Decision { get; init; } = "";
    public string SavedAt { get; init; } = "";
}

public sealed record ScoreRow
{
    public long TextVersion { get; init; }
    public double Profanity { get; init; }
    public double Relevance { get; init; }
    public double OffTopicLength { get; init; }
    public string Reasons { get; init; } = "";
    public string ScoredAt { get; init; } = "";
}

/// <summary>One scored comment of an article, for the list moderators sort by relevance.</summary>
public sealed record RelevanceRow
{
    public string CommentId { get; init; } = "";
    public string Excerpt { get; init; } = "";
    public string Status { get; init; } = "";
    public double Relevance { get; init; }
    public double OffTopicLength { get; init; }
    public double Profanity { get; init; }
    public long WordCount { get; init; }
    public string ScoredAt { get; init; } = "";
}

public sealed class CommentRepository(Database db)
{
    sealed record Existing
    {
        public string ArticleId { get; init; } = "";
        public string Text { get; init; } = "";
        public string Status { get; init; } = "";
    }

    /// <summary>
    /// Takes a comment in. The same id and text again is a no-op; changed text is an edit:
    /// a new text version, back to 'received' so the worker scores it again. 'received' is never visible, and the
    /// worker's policy keeps an edited rejected comment hidden (docs/POLICY.md, "Edits").
    /// </summary>
    public Task<IngestResult> IngestAsync(NewComment comment, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var at = Database.Time(now);
            // The insert comes first, and only a comment already there is read. On PostgreSQL (SERIALIZABLE) a read that
            // finds no row locks the index page where the row would be; comment ids that sort together (a site's
            // sequential ids) all land on one page, so concurrent ingests aborted each other: 163,992 inserts for 100,000
            // comments in a 16-client ingest. ON CONFLICT's check for the id reads no page that way (docs/SCALING.md, "Session 10").
            var inserted = await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO comments (comment_id, article_id, text, author_id, author_name, parent_id, posted_at, status, received_at, updated_at)
                VALUES (@CommentId, @ArticleId, @Text, @AuthorId, @AuthorName, @ParentId, @PostedAt, 'received', @at, @at)
                ON CONFLICT (comment_id) DO NOTHING
                """, new { comment.CommentId, comment.ArticleId, comment.Text, comment.AuthorId, comment.AuthorName, comment.ParentId, comment.PostedAt, at },
                tx, cancellationToken: ct));
            if (inserted == 1)
            {
                await AuditLog.WriteAsync(c, tx, now, "ingest", "received", comment.CommentId, null, CommentStatus.Received, null, ct);
                if (comment.Site is { } site)
                    await c.ExecuteAsync(new CommandDefinition(Sources.SiteStatusRepository.FirstSeenSql,
                        new { commentId = comment.CommentId, source = site.Source, remoteId = site.RemoteId, siteStatus = site.Status, at }, tx, cancellationToken: ct));
                return new IngestResult(IngestOutcome.Created, CommentStatus.Received);
            }
            var existing = await c.QuerySingleAsync<Existing>(new CommandDefinition(
                "SELECT article_id AS ArticleId, text, status FROM comments WHERE comment_id = @CommentId", new { comment.CommentId }, tx, cancellationToken: ct));
            var (articleId, text, status) = (existing.ArticleId, existing.Text, existing.Status);
            if (articleId != comment.ArticleId) return new IngestResult(IngestOutcome.OtherArticle, status);
            if (text == comment.Text) return new IngestResult(IngestOutcome.Unchanged, status);
            // The text a moderator decided on is kept before it is replaced (migration 009); an edit of a comment
            // not decided (yet again) keeps the text of the last decision.
            if (CommentStatus.IsDecided(status))
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO decided_texts (comment_id, text_version, text, decision, saved_at)
                    SELECT comment_id, text_version, text, status, @at FROM comments WHERE comment_id = @CommentId
                    ON CONFLICT (comment_id) DO UPDATE SET text_version = excluded.text_version, text = excluded.text,
                        decision = excluded.decision, saved_at = excluded.saved_at
                    """, new { comment.CommentId, at }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE comments SET text = @Text, text_version = text_version + 1, status = 'received', updated_at = @at,
                    author_id = coalesce(@AuthorId, author_id), author_name = coalesce(@AuthorName, author_name),
                    lease_owner = NULL, lease_until = NULL, attempts = 0, next_attempt_at = NULL, last_error = NULL
                WHERE comment_id = @CommentId
                """, new { comment.Text, comment.AuthorId, comment.AuthorName, comment.CommentId, at }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, "ingest", "edited", comment.CommentId, status, CommentStatus.Received,
                CommentStatus.IsDecided(status) ? new { afterDecision = status } : null, ct);
            return new IngestResult(IngestOutcome.Edited, CommentStatus.Received);
        }, ct);

    public async Task<CommentRow?> GetAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CommentRow>(new CommandDefinition("""
            SELECT comment_id AS CommentId, article_id AS ArticleId, text, text_version AS TextVersion, author_id AS AuthorId,
                   author_name AS AuthorName, parent_id AS ParentId, posted_at AS PostedAt, status, received_at AS ReceivedAt,
                   updated_at AS UpdatedAt, attempts, last_error AS LastError, text_removed AS TextRemoved
            FROM comments WHERE comment_id = @commentId
            """, new { commentId }, cancellationToken: ct));
    }

    /// <summary>The text a moderator last decided on before the comment was edited (migration 009), or null.</summary>
    public async Task<DecidedText?> GetDecidedTextAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<DecidedText>(new CommandDefinition(
            "SELECT text_version AS TextVersion, text, decision, saved_at AS SavedAt FROM decided_texts WHERE comment_id = @commentId",
            new { commentId }, cancellationToken: ct));
    }

    public async Task<string?> GetStatusAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM comments WHERE comment_id = @commentId", new { commentId }, cancellationToken: ct));
    }

    public async Task<ScoreRow?> GetScoresAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ScoreRow>(new CommandDefinition("""
            SELECT text_version AS TextVersion, profanity, relevance, off_topic_length AS OffTopicLength, reasons, scored_at AS ScoredAt
            FROM scores WHERE comment_id = @commentId
            """, new { commentId }, cancellationToken: ct));
    }

    /// <summary>Visible comments of an article, oldest first (for the reader demo page).</summary>
    public async Task<IReadOnlyList<CommentRow>> VisibleForArticleAsync(string articleId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CommentRow>(new CommandDefinition("""
            SELECT comment_id AS CommentId, article_id AS ArticleId, text, text_version AS TextVersion, author_id AS AuthorId,
                   author_name AS AuthorName, parent_id AS ParentId, posted_at AS PostedAt, status, received_at AS ReceivedAt,
                   updated_at AS UpdatedAt, attempts, last_error AS LastError
            FROM comments WHERE article_id = @articleId AND status IN ('published', 'pending', 'approved')
            ORDER BY seq LIMIT @limit
            """, new { articleId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Scored comments of one article, least relevant first, a page after (<paramref name="afterRelevance"/>,
    /// <paramref name="afterId"/>): what a moderator reads when short off-topic comments are not flagged. Reads one
    /// article's comments through ix_comments_article, never the whole table.
    /// </summary>
    public async Task<IReadOnlyList<RelevanceRow>> ByRelevanceAsync(string articleId, double? afterRelevance, string? afterId,
        int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<RelevanceRow>(new CommandDefinition("""
            SELECT c.comment_id AS CommentId, substr(c.text, 1, 200) AS Excerpt, c.status, s.relevance,
                   s.off_topic_length AS OffTopicLength, s.profanity, s.word_count AS WordCount, s.scored_at AS ScoredAt
            FROM comments c JOIN scores s ON s.comment_id = c.comment_id
            WHERE c.article_id = @articleId
              AND (@afterId IS NULL OR s.relevance > @afterRelevance OR (s.relevance = @afterRelevance AND c.comment_id > @afterId))
            ORDER BY s.relevance, c.comment_id
            LIMIT @limit
            """, new { articleId, afterRelevance, afterId, limit }, cancellationToken: ct))).AsList();
    }
}
