using System.Text.Json;
using Microsoft.Extensions.Options;
using Moderation.Api.Audit;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Audit;
using Moderation.Storage.Comments;
using Moderation.Storage.Queue;
using Moderation.Storage.Reports;
using Moderation.Storage.Settings;
using Moderation.Storage.Sources;
using Moderation.Worker;
using Moderation.Worker.Connectors;

namespace Moderation.Api.Comments;

public sealed record CommentRequest(string? CommentId, string? Text, string? AuthorId, string? AuthorName, string? ParentId, DateTimeOffset? PostedAt);

public sealed record CommentAccepted(string CommentId, string Status);

public sealed record CommentDetails(string CommentId, string ArticleId, string Text, string Status, string? AuthorId, string? AuthorName,
    string? ParentId, DateTimeOffset? PostedAt, DateTimeOffset ReceivedAt, Scores? Scores, IReadOnlyList<Reason> Reasons,
    ReportSummary Reports, IReadOnlyList<AuditView> History, string? LastError, string? DecidedText, string? DecidedStatus,
    SiteStatusView? Source = null, string? TextRemoved = null);

/// <summary>
/// A pull source's comment as it stands on its site: <c>siteStatus</c> is what the site's own moderation gave it
/// (approved, hold, spam, trash), <c>writtenStatus</c> what this service last set there (null: nothing).
/// </summary>
public sealed record SiteStatusView(string Name, long RemoteId, string SiteStatus, string? WrittenStatus);

public sealed record CommentVisibility(string CommentId, bool Visible);

public sealed record ReportSummary(int Count, double Weight, IReadOnlyDictionary<string, int> ByReason);

public static class CommentsApi
{
    public static RouteGroupBuilder MapComments(this RouteGroupBuilder api)
    {
        api.MapPost("/articles/{articleId}/comments", Ingest).RequireAuthorization(Roles.IngestPolicy).WithTags("Comments")
            .WithName("IngestComment").WithSummary("Hand a new or edited comment to the service (202; scored in the background)")
            .Produces<CommentAccepted>(202).ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);
        var group = api.MapGroup("/comments/{commentId}").WithTags("Comments");
        group.MapGet("/", Get).RequireAuthorization(Roles.ModeratorPolicy).WithName("GetComment")
            .WithSummary("A comment with its scores, reasons and evidence, reports and history").Produces<CommentDetails>().ProducesProblem(404);
        group.MapGet("/visibility", Visibility).AllowAnonymous().WithName("GetVisibility").WithSummary("May the site show this comment now?")
            .Produces<CommentVisibility>().ProducesProblem(404);
        return api;
    }

    static async Task<IResult> Ingest(string articleId, CommentRequest? body, IngestService ingest, SettingsRepository settings,
        IOptions<ModerationOptions> options, CancellationToken ct)
    {
        var max = options.Value.Limits.MaxCommentChars;
        if (body?.Text is { } t && t.Length > max) return Problems.TooLarge($"text is {t.Length} characters; the limit is {max}");
        var check = new Check().Id("articleId", articleId);
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.Id("commentId", body.CommentId).Text("text", body.Text, max).Id("authorId", body.AuthorId, required: false)
            .Text("authorName", body.AuthorName, 200, required: false).Id("parentId", body.ParentId, required: false);
        if (check.Problem is { } problem) return problem;
        if ((await settings.GetArticleAsync(articleId, ct)).Closed) return Problems.Conflict($"article '{articleId}' is closed to comments");

        var result = await ingest.CommentAsync(new CommentIn(body.CommentId!, articleId, body.Text!, body.AuthorId, body.AuthorName, body.ParentId, body.PostedAt), ct);
        if (result.Outcome == CommentOutcome.UnknownArticle) return Problems.NotFound($"no article '{articleId}'; PUT it first");
        if (result.Outcome == CommentOutcome.OtherArticle) return Problems.Conflict($"comment '{body.CommentId}' belongs to another article");
        return TypedResults.Accepted($"/api/comments/{Uri.EscapeDataString(body.CommentId!)}", new CommentAccepted(body.CommentId!, result.Status!));
    }

    static async Task<IResult> Get(string commentId, CommentRepository comments, QueueRepository queue, ReportRepository reports, IOptionsMonitor<ReportOptions> reportOptions,
        Storage.Audit.AuditLog audit, SiteStatusRepository siteStatus, CancellationToken ct)
    {
        var c = Check.IsId(commentId) ? await comments.GetAsync(commentId, ct) : null;
        if (c is null) return Problems.NotFound($"no comment '{commentId}'");
        var scores = await comments.GetScoresAsync(commentId, ct);
        var current = scores is not null && scores.TextVersion == c.TextVersion;
        var reasonsJson = await queue.GetReasonsAsync(commentId, ct) ?? (current ? scores!.Reasons : "[]");
        var tally = await reports.TallyAsync(commentId, reportOptions.CurrentValue.Policy(), ct);
        var history = (await audit.ForCommentAsync(commentId, ct)).Select(AuditView.From).ToList();
        // The text a moderator approved or rejected before the site edited it, and that decision: shown while the new text
        // has no decision of its own, so the console can put the two side by side (docs/POLICY.md, "Edits"). Once a
        // moderator decided the current text, the earlier one is history (the audit log keeps the edit).
        var decided = CommentStatus.IsDecided(c.Status) ? null : await comments.GetDecidedTextAsync(commentId, ct);
        var site = await siteStatus.GetAsync(commentId, ct);
        return TypedResults.Ok(new CommentDetails(c.CommentId, c.ArticleId, c.Text, c.Status, c.AuthorId, c.AuthorName, c.ParentId,
            Database.ParseTimeOrNull(c.PostedAt), Database.ParseTime(c.ReceivedAt),
            current ? new Scores(scores!.Profanity, scores.Relevance, scores.OffTopicLength) : null,
            JsonSerializer.Deserialize<List<Reason>>(reasonsJson, Json.Options) ?? [],
            new ReportSummary(tally.Count, Math.Round(tally.Weight, 3), tally.ByReason), history, c.LastError,
            decided?.Text, decided?.Decision,
            site is null ? null : new SiteStatusView(site.Source, site.RemoteId, site.SiteStatus, site.WrittenStatus), c.TextRemoved));
    }

    /// <summary>A comment the site it came from holds for its own moderation stays hidden until approved there or here (docs/CONNECTORS.md).</summary>
    static async Task<IResult> Visibility(string commentId, SiteStatusRepository siteStatus, CancellationToken ct)
    {
        var found = Check.IsId(commentId) ? await siteStatus.VisibilityAsync(commentId, ct) : null;
        return found is not { } f ? Problems.NotFound($"no comment '{commentId}'") : TypedResults.Ok(new CommentVisibility(commentId, CommentStatus.IsVisible(f.Status, f.HeldAtSource)));
    }
}
