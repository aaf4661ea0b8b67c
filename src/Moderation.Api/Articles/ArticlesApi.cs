using Microsoft.Extensions.Options;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;
using Moderation.Api.Validation;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Worker.Connectors;

namespace Moderation.Api.Articles;

public sealed record ArticleRequest(string? Title, string? Body, string? Url, DateTimeOffset? PublishedAt);

public sealed record ArticleResponse(string ArticleId, string Title, string? Url, DateTimeOffset? PublishedAt, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ArticleResponse From(ArticleRow a) =>
        new(a.ArticleId, a.Title, a.Url, Database.ParseTimeOrNull(a.PublishedAt), a.Version, Database.ParseTime(a.CreatedAt), Database.ParseTime(a.UpdatedAt));
}

/// <summary>GET /api/articles/{articleId}: the article as PUT answered it, with its body.</summary>
public sealed record ArticleWithBody(ArticleResponse Article, string Body);

public static class ArticlesApi
{
    public static RouteGroupBuilder MapArticles(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/articles").WithTags("Articles");
        group.MapPut("/{articleId}", Put).RequireAuthorization(Roles.IngestPolicy).WithName("PutArticle")
            .WithSummary("Create or update an article (201 created, 200 updated)")
            .Produces<ArticleResponse>(201).Produces<ArticleResponse>(200).ProducesValidationProblem();
        group.MapGet("/{articleId}", Get).RequireAuthorization(Roles.ModeratorPolicy).WithName("GetArticle")
            .WithSummary("An article with its body").Produces<ArticleWithBody>().ProducesProblem(404);
        group.MapGet("/{articleId}/comments", ArticleCommentsApi.List).RequireAuthorization(Roles.ModeratorPolicy)
            .WithName("ListArticleComments").WithSummary("Scored comments of an article, least relevant first")
            .Produces<ArticleCommentsPage>().ProducesValidationProblem().ProducesProblem(404);
        return group;
    }

    static async Task<IResult> Put(string articleId, ArticleRequest? body, ArticleRepository articles, IngestService ingest,
        IOptions<ModerationOptions> options, CancellationToken ct)
    {
        var check = new Check().Id("articleId", articleId);
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.Text("title", body.Title, 1000).Text("body", body.Body, options.Value.Limits.MaxArticleChars).Text("url", body.Url, 2048, required: false);
        if (body.Url is not null && !(Uri.TryCreate(body.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            check.Fail("url", "must be an absolute http or https URL");
        if (check.Problem is { } problem) return problem;

        var outcome = await ingest.ArticleAsync(new ArticleIn(articleId, body.Title!, body.Body!, body.Url, body.PublishedAt), ct);
        var saved = ArticleResponse.From((await articles.GetAsync(articleId, ct))!);
        return outcome == UpsertOutcome.Created ? TypedResults.Created($"/api/articles/{Uri.EscapeDataString(articleId)}", saved) : TypedResults.Ok(saved);
    }

    static async Task<IResult> Get(string articleId, ArticleRepository articles, CancellationToken ct)
    {
        var row = Check.IsId(articleId) ? await articles.GetAsync(articleId, ct) : null;
        return row is null ? Problems.NotFound($"no article '{articleId}'") : TypedResults.Ok(new ArticleWithBody(ArticleResponse.From(row), row.Body));
    }
}
