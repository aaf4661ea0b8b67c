using Microsoft.Extensions.Options;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Worker;
using Moderation.Core.Relevance;

namespace Moderation.Api.Scoring;

public sealed record ScoreArticle(string? Title, string? Body);

public sealed record ScoreComment(string? Text);

public sealed record ScoreRequest(ScoreArticle? Article, IReadOnlyList<ScoreComment>? Comments);

public sealed record ScoreItem(Scores Scores, IReadOnlyList<Reason> Reasons, string Status);

public sealed record ScoreResponse(IReadOnlyList<ScoreItem> Results);

public static class ScoreApi
{
    public static RouteGroupBuilder MapScorePreview(this RouteGroupBuilder api)
    {
        api.MapPost("/score", Score).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Scoring").WithName("ScorePreview")
            .WithSummary("Score comments against an article without storing anything (for tuning and evaluation)")
            .Produces<ScoreResponse>().ProducesValidationProblem();
        return api;
    }

    /// <summary>
    /// Each comment is scored alone against the article (no thread), with IDF over the stored
    /// collection plus this article, and the reasons are those the stored settings would keep;
    /// status says what the policy would do.
    /// </summary>
    static async Task<IResult> Score(ScoreRequest? body, ICommentScorer scorer, SettingsProvider settings, Database db,
        IOptions<ModerationOptions> options, CancellationToken ct)
    {
        var limits = options.Value.Limits;
        var check = new Check();
        if (body?.Article is null) return check.Fail("article", "is required").Problem!;
        check.Text("article.title", body.Article.Title, 1000).Text("article.body", body.Article.Body, limits.MaxArticleChars);
        if (body.Comments is null || body.Comments.Count == 0) check.Fail("comments", "must hold at least one comment");
        else if (body.Comments.Count > limits.MaxScoreComments) check.Fail("comments", $"must hold at most {limits.MaxScoreComments} comments");
        else for (var i = 0; i < body.Comments.Count; i++) check.Text($"comments[{i}].text", body.Comments[i]?.Text, limits.MaxCommentChars);
        if (check.Problem is { } problem) return problem;

        var (title, text) = (body.Article.Title!, body.Article.Body!);
        var article = new ArticleToScore("preview", title, text, scorer.BuildArticleProfile(title, text));
        await using var collection = await TermStatistics.OpenAsync(db, ct);
        var terms = new WithArticle(collection, scorer.ArticleTerms(title, text));
        var current = await settings.CurrentAsync(ct);
        var decide = new ModerationPolicy(current.ToPolicy());
        var results = body.Comments!.Select(c =>
        {
            var r = scorer.Score(c.Text!, article, ThreadToScore.Empty, terms);
            var verdict = decide.Decide(TermLists.Apply(c.Text!, r.Reasons, current));
            return new ScoreItem(r.Scores, verdict.Reasons, verdict.Status);
        }).ToList();
        return TypedResults.Ok(new ScoreResponse(results));
    }

    /// <summary>The stored collection with the previewed article counted in.</summary>
    sealed class WithArticle(IDocumentFrequencies collection, IReadOnlySet<string> articleTerms) : IDocumentFrequencies
    {
        public long DocumentCount => collection.DocumentCount + 1;
        public long DocumentFrequency(string term) => collection.DocumentFrequency(term) + (articleTerms.Contains(term) ? 1 : 0);
    }
}
