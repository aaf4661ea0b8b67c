using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Queue;

namespace Moderation.Api.Queue;

/// <param name="Reasons">The stored reasons (a JSON array of <see cref="Reason"/>), passed through as stored.</param>
public sealed record QueueItem(string CommentId, string ArticleId, string Excerpt, string Status, double Priority, RawJson Reasons,
    long ReportCount, DateTimeOffset FlaggedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? Action);

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextCursor);

public sealed record DecisionRequest(string? Action, string? ReasonCode, string? Note, bool Force = false);

public sealed record UndoResponse(string CommentId, string Status);

public sealed record DecisionResponse(string CommentId, string Status, string Action, string DecidedBy, DateTimeOffset DecidedAt);

public static class QueueApi
{
    static readonly IReadOnlySet<string> States = new HashSet<string> { "pending", "decided" };
    static readonly IReadOnlySet<string> Sorts = new HashSet<string> { "priority", "newest", "oldest" };
    internal static readonly IReadOnlySet<string> Actions = new HashSet<string> { "approve", "reject" };
    internal static readonly IReadOnlySet<string> Reasons = ReasonCodes.All.ToHashSet();

    public static RouteGroupBuilder MapQueue(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/queue").WithTags("Queue").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/", List).WithName("ListQueue").WithSummary("The review queue, most urgent first by default")
            .Produces<QueuePage>().ProducesValidationProblem();
        group.MapPost("/{commentId}/decision", Decide).WithName("Decide").WithSummary("Approve or reject; 409 when someone already decided")
            .Produces<DecisionResponse>().ProducesValidationProblem()
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{commentId}/undo", Undo).WithName("UndoDecision").WithSummary("Reopen your own decision within the undo window")
            .Produces<UndoResponse>().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/decisions", BulkDecisionsApi.Decide).WithName("BulkDecide").WithSummary("Approve or reject every pending item matching a filter; dryRun first for the count")
            .Produces<BulkDecisionResponse>().ProducesValidationProblem();
        return api;
    }

    static async Task<IResult> List(QueueRepository queue, CancellationToken ct, string? state = "pending", string? reason = null,
        string? articleId = null, string? sort = "priority", string? limit = null, string? cursor = null)
    {
        var check = new Check().OneOf("state", state, States).OneOf("sort", sort, Sorts).OneOf("reason", reason, Reasons, required: false)
            .Id("articleId", articleId, required: false).Int("limit", limit, 1, 200, 50, out var size);
        var after = QueueCursor.TryDecode(cursor);
        if (cursor is not null && after is null) check.Fail("cursor", "is not a cursor this service gave out");
        if (check.Problem is { } problem) return problem;

        var order = Enum.Parse<QueueSort>(sort!, ignoreCase: true);
        var rows = await queue.ListAsync(new QueueQuery(state!, reason, articleId, order, size + 1, after), ct);
        var items = rows.Take(size).Select(r => new QueueItem(r.CommentId, r.ArticleId, r.Excerpt, r.Status, r.Priority,
            new RawJson(r.Reasons), r.ReportCount, Database.ParseTime(r.FlaggedAt),
            Database.ParseTimeOrNull(r.DecidedAt), r.DecidedBy, r.Action)).ToList();
        string? next = null;
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            next = new QueueCursor(last.FlaggedAt, last.CommentId, last.Priority).Encode();
        }
        return TypedResults.Ok(new QueuePage(items, next));
    }

    static async Task<IResult> Undo(string commentId, ClaimsPrincipal user, QueueActions actions, IOptions<ModerationOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        if (!Check.IsId(commentId)) return Problems.NotFound($"no comment '{commentId}'");
        var window = options.Value.Queue.UndoWindow;
        var result = await actions.UndoAsync(commentId, user.Identity?.Name ?? "unknown", window, time.GetUtcNow(), ct);
        return result.Outcome switch
        {
            UndoOutcome.Undone => TypedResults.Ok(new UndoResponse(commentId, result.Status!)),
            UndoOutcome.NotFound => Problems.NotFound($"comment '{commentId}' has no decision to undo"),
            UndoOutcome.NotYours => Problems.Conflict("another key made this decision; only its maker may undo it"),
            UndoOutcome.TooLate => Problems.Conflict($"a decision can be undone for {window.TotalSeconds:0} seconds only"),
            _ => Problems.Conflict("this comment is not decided"),
        };
    }

    static async Task<IResult> Decide(string commentId, DecisionRequest? body, ClaimsPrincipal user, QueueRepository queue, TimeProvider time,
        Moderation.Worker.Telemetry.ModerationMetrics metrics, ILoggerFactory logs, CancellationToken ct)
    {
        var check = new Check().Id("commentId", commentId);
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.OneOf("action", body.Action, Actions).OneOf("reasonCode", body.ReasonCode, DecisionReasonCodes.All, required: false)
            .Text("note", body.Note, 2000, required: false);
        if (check.Problem is { } problem) return problem;
        if (body.Force && !user.IsInRole(Roles.Admin)) return Problems.Forbidden("only an admin may force a decision over an earlier one");

        var actor = user.Identity?.Name ?? "unknown";
        var now = time.GetUtcNow();
        var result = await queue.DecideAsync(commentId, body.Action!, body.ReasonCode, body.Note, actor, body.Force, now, ct);
        if (result.Outcome == DecisionOutcome.Decided)
        {
            metrics.Decision(body.Action!, now - await queue.FlaggedAtAsync(commentId, ct));
            logs.CreateLogger("Moderation.Decisions").LogInformation("Comment {CommentId} decided: {Action} by {Actor}", commentId, body.Action, actor);
        }
        return result.Outcome switch
        {
            DecisionOutcome.NotFound => Problems.NotFound($"no comment '{commentId}'"),
            DecisionOutcome.AlreadyDecided => Problems.Conflict($"already decided ({result.Action}) by {result.DecidedBy}; an admin may send force: true"),
            _ => TypedResults.Ok(new DecisionResponse(commentId, result.StatusAfter!, body.Action!, actor, now)),
        };
    }
}
