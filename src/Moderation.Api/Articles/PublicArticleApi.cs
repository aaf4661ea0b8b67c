using Moderation.Api.Validation;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Comments;

namespace Moderation.Api.Articles;

public sealed record PublicComment(string CommentId, string? AuthorName, string Text, DateTimeOffset? PostedAt);

public sealed record PublicArticle(string ArticleId, string Title, string Body, IReadOnlyList<PublicComment> Comments);

/// <summary>An article with the comments readers may see now: what the demo page and a site's own page show.</summary>
public static class PublicArticleApi
{
    public static RouteGroupBuilder MapPublicArticles(this RouteGroupBuilder api)
    {
        api.MapGet("/public/articles/{articleId}", Get).AllowAnonymous().WithTags("Public").WithName("PublicArticle")
            .WithSummary("An article and its visible comments (oldest first, at most 500)").Produces<PublicArticle>().ProducesProblem(404);
        return api;
    }

    static async Task<IResult> Get(string articleId, ArticleRepository articles, CommentRepository comments, CancellationToken ct)
    {
        var article = Check.IsId(articleId) ? await articles.GetAsync(articleId, ct) : null;
        if (article is null) return Problems.NotFound($"no article '{articleId}'");
        var visible = await comments.VisibleForArticleAsync(articleId, 500, ct);
        return TypedResults.Ok(new PublicArticle(article.ArticleId, article.Title, article.Body,
            visible.Select(c => new PublicComment(c.CommentId, c.AuthorName, c.Text, Database.ParseTimeOrNull(c.PostedAt))).ToList()));
    }
}
