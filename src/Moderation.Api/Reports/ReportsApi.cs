using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Storage.Reports;
using Moderation.Worker;

namespace Moderation.Api.Reports;

public sealed record ReportRequest(string? Reason, string? ReporterId, string? Details);

/// <summary><c>counted</c> is false when this reporter had already reported the comment (it counts once).</summary>
public sealed record ReportAccepted(string CommentId, bool Counted);

public static class ReportsApi
{
    public const string RateLimitPolicy = "reports";

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        api.MapPost("/comments/{commentId}/reports", Report).AllowAnonymous().RequireRateLimiting(RateLimitPolicy)
            .RequireCors(Hosting.SecurityHeaders.ReportWidgetCors)
            .WithTags("Reports").WithName("ReportComment")
            .WithSummary("A reader reports a comment (202); the same reporter twice counts once")
            .Produces<ReportAccepted>(202).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(429);
        return api;
    }

    static async Task<IResult> Report(string commentId, ReportRequest? body, HttpContext http, ReportWriter reports,
        ReporterKeys reporterKeys, IOptionsMonitor<ReportOptions> options, TimeProvider time,
        Moderation.Worker.Telemetry.ModerationMetrics metrics, CancellationToken ct)
    {
        var check = new Check().Id("commentId", commentId);
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        check.OneOf("reason", body.Reason, ReportReasons.All).Id("reporterId", body.ReporterId, required: false)
            .Text("details", body.Details, 2000, required: false);
        if (check.Problem is { } problem) return problem;

        var address = await reporterKeys.ForAddressAsync(Network.ClientAddress.Key(http), ct);
        var reporter = body.ReporterId is { } id ? "id:" + id : address;
        var result = await reports.AddAsync(commentId, reporter, address, body.Reason!, body.Details, options.CurrentValue.Policy(), time.GetUtcNow(), ct);
        metrics.Report(result.Outcome switch { ReportOutcome.Added => "accepted", ReportOutcome.Duplicate => "duplicate", _ => "not_found" });
        return result.Outcome == ReportOutcome.NotFound
            ? Problems.NotFound($"no comment '{commentId}'")
            : TypedResults.Accepted((string?)null, new ReportAccepted(commentId, result.Outcome == ReportOutcome.Added));
    }
}

/// <summary>Readers without an id are told apart by a keyed hash of their address (<see cref="Pseudonyms.PseudonymKey"/>): never the address itself.</summary>
public sealed class ReporterKeys(Pseudonyms.PseudonymKey key)
{
    /// <param name="address">The client's <see cref="Network.ClientAddress"/> key (an IPv6 reader is its /64).</param>
    public async Task<string> ForAddressAsync(string address, CancellationToken ct)
    {
        var secret = await key.CurrentAsync(ct);
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(address));
        return Moderation.Core.Policy.ReportRow.AnonymousPrefix + Convert.ToHexString(hash, 0, 16);
    }
}
