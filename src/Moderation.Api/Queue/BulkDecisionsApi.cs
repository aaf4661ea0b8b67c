using System.Security.Claims;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Storage.Queue;

namespace Moderation.Api.Queue;

public sealed record ScoreRange(string? Field, double? Min, double? Max);

public sealed record BulkFilterRequest(string? Reason, string? ArticleId, ScoreRange? Score);

public sealed record BulkDecisionRequest(string? Action, string? ReasonCode, string? Note, BulkFilterRequest? Filter, bool DryRun, DateTimeOffset? AsOf);

/// <summary>How many pending items the filter matched (dry run) or decided, and the moment counted.</summary>
public sealed record BulkDecisionResponse(long Count, DateTimeOffset AsOf, bool DryRun);

/// <summary>
/// Clearing a flood: a dry run returns how many pending items match and the moment counted (asOf);
/// the real run, given that asOf, decides exactly those and none that arrived after.
/// </summary>
public static class BulkDecisionsApi
{
    public static async Task<IResult> Decide(BulkDecisionRequest? body, ClaimsPrincipal user, QueueActions actions, TimeProvider time,
        Moderation.Worker.Telemetry.ModerationMetrics metrics, CancellationToken ct)
    {
        var check = new Check();
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.OneOf("action", body.Action, QueueApi.Actions).OneOf("reasonCode", body.ReasonCode, DecisionReasonCodes.All, required: false)
            .Text("note", body.Note, 2000, required: false)
            .OneOf("filter.reason", body.Filter?.Reason, QueueApi.Reasons, required: false).Id("filter.articleId", body.Filter?.ArticleId, required: false);
        if (body.Filter?.Score is { } range)
        {
            check.OneOf("filter.score.field", range.Field, BulkFilter.Columns.Keys.ToHashSet());
            // Written so NaN fails too (every comparison with NaN is false); a NaN reached SQLite and was a 500.
            if (range.Min is not (null or (>= 0 and <= 1)) || range.Max is not (null or (>= 0 and <= 1)) || range.Min > range.Max)
                check.Fail("filter.score", "min and max must lie in [0, 1] with min ≤ max");
        }
        var now = time.GetUtcNow();
        if (body.AsOf > now) check.Fail("asOf", "must not be in the future");
        if (!body.DryRun && body.AsOf is null) check.Fail("asOf", "is required: send the asOf of the dry run, so items that arrived since are not swept up");
        if (check.Problem is { } problem) return problem;

        var score = body.Filter?.Score;
        var filter = new BulkFilter(body.Filter?.Reason, body.Filter?.ArticleId, score?.Field, score?.Min, score?.Max);
        var asOf = body.AsOf ?? now;
        var count = body.DryRun
            ? await actions.CountAsync(filter, asOf, ct)
            : await actions.DecideAllAsync(filter, asOf, body.Action!, body.ReasonCode, body.Note, user.Identity?.Name ?? "unknown", now, ct);
        if (!body.DryRun) metrics.BulkDecisions(body.Action!, count);
        return TypedResults.Ok(new BulkDecisionResponse(count, asOf, body.DryRun));
    }
}
