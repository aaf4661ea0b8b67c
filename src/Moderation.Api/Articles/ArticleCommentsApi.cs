using Moderation.Api.Validation;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Comments;
using Moderation.Storage.Queue;

namespace Moderation.Api.Articles;

public sealed record ArticleCommentItem(string CommentId, string Excerpt, string Status, double Relevance, double OffTopicLength,
    double Profanity, long WordCount, DateTimeOffset ScoredAt);

public sealed record ArticleCommentsPage(IReadOnlyList<ArticleCommentItem> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/articles/{articleId}/comments?limit=&amp;cursor=</c>: an article's scored comments, least relevant first.
/// Short off-topic comments are not flagged by default (docs/RELEVANCE.md), so this is where a moderator finds them.
/// </summary>
public static class ArticleCommentsApi
{
    const string RelevanceKey = "relevance";

    public static async Task<IResult> List(string articleId, ArticleRepository articles, CommentRepository comments,
        string? limit = null, string? cursor = null, CancellationToken ct = default)
    {
        var check = new Check().Id("articleId", articleId).Int("limit", limit, 1, 200, 50, out int take);
        // The queue's cursor type, keyed "relevance": the last item's (relevance, id); the next page starts strictly after it.
        var after = cursor is null ? null : QueueCursor.TryDecode(cursor);
        if (cursor is not null && after is not { Key: RelevanceKey }) check.Fail("cursor", "is not a cursor this service gave out");
        if (check.Problem is { } problem) return problem;
        if (await articles.GetAsync(articleId, ct) is null) return Problems.NotFound($"no article '{articleId}'");

        var rows = await comments.ByRelevanceAsync(articleId, after?.Priority, after?.CommentId, take + 1, ct);
        var items = rows.Take(take).Select(r => new ArticleCommentItem(r.CommentId, r.Excerpt, r.Status, Math.Round(r.Relevance, 4),
            Math.Round(r.OffTopicLength, 4), Math.Round(r.Profanity, 4), r.WordCount, Database.ParseTime(r.ScoredAt))).ToArray();
        string? next = rows.Count > take ? new QueueCursor(RelevanceKey, rows[take - 1].CommentId, rows[take - 1].Relevance).Encode() : null;
        return TypedResults.Ok(new ArticleCommentsPage(items, next));
    }
}
