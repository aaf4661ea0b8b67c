using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Comments;

namespace Moderation.Worker.Connectors;

/// <summary>An article as every way in hands it over (HTTP, connectors, imports).</summary>
public sealed record ArticleIn(string ArticleId, string Title, string Body, string? Url = null, DateTimeOffset? PublishedAt = null);

/// <summary>A comment as every way in hands it over (HTTP, connectors, imports).</summary>
public sealed record CommentIn(string CommentId, string ArticleId, string Text, string? AuthorId = null, string? AuthorName = null,
    string? ParentId = null, DateTimeOffset? PostedAt = null, Storage.Sources.SiteOrigin? Site = null);

public enum CommentOutcome { Created, Unchanged, Edited, OtherArticle, UnknownArticle }

public sealed record CommentIngested(CommentOutcome Outcome, string? Status);

/// <summary>
/// The one way comments and articles come in, so the ingest endpoint, the pull connectors and the
/// imports behave alike: same id and text again is a no-op, changed text is an edit, and the worker
/// is woken for anything it has to score.
/// </summary>
public sealed class IngestService(ArticleRepository articles, CommentRepository comments, ICommentScorer scorer, WorkSignal signal, TimeProvider time,
    IOptionsMonitor<IngestOptions> options, Telemetry.ModerationMetrics? metrics = null, ILogger<IngestService>? log = null)
{
    public IngestOptions Limits => options.CurrentValue;

    public async Task<bool> HasArticleAsync(string articleId, CancellationToken ct) =>
        await articles.GetAsync(articleId, ct) is not null;

    public Task<UpsertOutcome> ArticleAsync(ArticleIn article, CancellationToken ct)
    {
        var now = Database.Time(time.GetUtcNow());
        var row = new ArticleRow
        {
            ArticleId = article.ArticleId, Title = article.Title, Body = article.Body, Url = article.Url,
            PublishedAt = article.PublishedAt is { } p ? Database.Time(p) : null, Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        return articles.UpsertAsync(row, scorer.ArticleTerms(row.Title, row.Body), ct);
    }

    public async Task<CommentIngested> CommentAsync(CommentIn comment, CancellationToken ct)
    {
        if (!await HasArticleAsync(comment.ArticleId, ct)) return new CommentIngested(CommentOutcome.UnknownArticle, null);
        var result = await comments.IngestAsync(new NewComment(comment.CommentId, comment.ArticleId, comment.Text, comment.AuthorId,
            comment.AuthorName, comment.ParentId, comment.PostedAt is { } p ? Database.Time(p) : null, comment.Site), time.GetUtcNow(), ct);
        var outcome = result.Outcome switch
        {
            IngestOutcome.Created => CommentOutcome.Created,
            IngestOutcome.Edited => CommentOutcome.Edited,
            IngestOutcome.OtherArticle => CommentOutcome.OtherArticle,
            _ => CommentOutcome.Unchanged,
        };
        if (outcome is CommentOutcome.Created or CommentOutcome.Edited)
        {
            signal.Notify();
            metrics?.Received(outcome == CommentOutcome.Created ? "created" : "edited");
            // Ids as fields, never the text or the author (docs/OPERATIONS.md, "Logs"); Debug: one line per comment.
            log?.LogDebug("Comment {CommentId} on article {ArticleId}: {Outcome}", comment.CommentId, comment.ArticleId, outcome);
        }
        return new CommentIngested(outcome, result.Status);
    }

    /// <summary>What is wrong with an article from a file or feed, or null: the rules of <c>PUT /api/articles</c>.</summary>
    public string? Problem(ArticleIn a) =>
        !IngestRules.IsId(a.ArticleId) ? $"articleId '{a.ArticleId}' must be 1–128 printable ASCII characters without spaces"
        : IngestRules.TextProblem("title", a.Title, 1000) ?? IngestRules.TextProblem("body", a.Body, Limits.MaxArticleChars);

    /// <summary>What is wrong with a comment from a file or feed, or null: the rules of the ingest endpoint.</summary>
    public string? Problem(CommentIn c) =>
        !IngestRules.IsId(c.CommentId) ? $"commentId '{c.CommentId}' must be 1–128 printable ASCII characters without spaces"
        : !IngestRules.IsId(c.ArticleId) ? $"articleId '{c.ArticleId}' must be 1–128 printable ASCII characters without spaces"
        : c.ParentId is not null && !IngestRules.IsId(c.ParentId) ? $"parentId '{c.ParentId}' is not a valid id"
        : c.AuthorId is not null && !IngestRules.IsId(c.AuthorId) ? $"authorId '{c.AuthorId}' is not a valid id"
        : IngestRules.TextProblem("text", c.Text, Limits.MaxCommentChars) ?? IngestRules.TextProblem("authorName", c.AuthorName ?? "-", 200);
}

/// <summary>
/// Bound from <c>Moderation:Limits</c>, the same keys the HTTP host reads, so a comment too long for
/// the ingest endpoint is too long for an import as well.
/// </summary>
public sealed class IngestOptions
{
    public const string Section = "Moderation:Limits";

    public int MaxCommentChars { get; set; } = 20_000;

    public int MaxArticleChars { get; set; } = 200_000;
}
