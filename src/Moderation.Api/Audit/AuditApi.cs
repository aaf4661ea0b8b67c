using System.Globalization;
using System.Text.Json;
using Moderation.Storage;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Audit;

namespace Moderation.Api.Audit;

/// <summary>An audit entry as the API shows it: times as times, the detail as JSON rather than a string of it.</summary>
public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string? CommentId, string? StatusBefore, string? StatusAfter, JsonElement? Detail)
{
    public static AuditView From(AuditEntry e) => new(e.Id, Database.ParseTime(e.At), e.Actor, e.Action, e.CommentId, e.StatusBefore, e.StatusAfter,
        e.Detail is null ? null : JsonDocument.Parse(e.Detail).RootElement.Clone());
}

public sealed record AuditPage(IReadOnlyList<AuditView> Items, long? NextBefore);

public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Audit").WithName("ListAudit")
            .WithSummary("The audit trail, newest first; ?before= the last id seen").Produces<AuditPage>().ProducesValidationProblem();
        return api;
    }

    static async Task<IResult> List(Storage.Audit.AuditLog audit, CancellationToken ct, string? limit = null, string? before = null, string? actor = null)
    {
        var check = new Check().Id("actor", actor, required: false).Int("limit", limit, 1, 500, 100, out var size);
        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) beforeId = b;
            else check.Fail("before", "must be an audit entry id");
        }
        if (check.Problem is { } problem) return problem;
        var entries = await audit.ListAsync(size, beforeId, actor, ct);
        return TypedResults.Ok(new AuditPage(entries.Select(AuditView.From).ToList(), entries.Count == size ? entries[^1].Id : null));
    }
}
