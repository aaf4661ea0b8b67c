using Microsoft.Extensions.Options;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;

namespace Moderation.Api.Scoring;

public sealed record ScoreArticle(string? Title, string? Body);

public sealed record ScoreComment(string? Text);

public sealed record ScoreRequest(ScoreArticle? Article, IReadOnlyList<ScoreComment>? Comments);

public sealed record ScoreItem(Scores Scores, IReadOnlyList<Reason> Reasons, string Status);

public static class ScoreApi
{
    public static RouteGroupBuilder MapScorePreview(this RouteGroupBuilder api)
    {
        api.MapPost("/score", Score).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Scoring").WithName("ScorePreview")
            .WithSummary("Score comments against an article without storing anything (for tuning and evaluation)");
        return api;
    }

    /// <summary>
    /// Each comment is scored alone against the article (no thread, IDF from this article only),
    /// and the reasons are those the current policy would keep; status says what the policy would do.
    /// </summary>
    static IResult Score(ScoreRequest? body, ICommentScorer scorer, IOptionsMonitor<PolicyOptions> policy, IOptions<ModerationOptions> options)
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
        var terms = new SingleArticleTerms(scorer.ArticleTerms(title, text));
        var decide = new ModerationPolicy(policy.CurrentValue);
        var results = body.Comments!.Select(c =>
        {
            var r = scorer.Score(c.Text!, article, ThreadToScore.Empty, terms);
            var verdict = decide.Decide(r.Reasons);
            return new ScoreItem(r.Scores, verdict.Reasons, verdict.Status);
        }).ToList();
        return TypedResults.Ok(new { results });
    }

    sealed class SingleArticleTerms(IReadOnlySet<string> terms) : ITermStatistics
    {
        public long DocumentCount => 1;
        public long DocumentFrequency(string term) => terms.Contains(term) ? 1 : 0;
    }
}
