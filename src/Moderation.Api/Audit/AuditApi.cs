using System.Globalization;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Audit;

namespace Moderation.Api.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Audit").WithName("ListAudit")
            .WithSummary("The audit trail, newest first; ?before= the last id seen");
        return api;
    }

    static async Task<IResult> List(Storage.Audit.AuditLog audit, CancellationToken ct, string? limit = null, string? before = null, string? actor = null)
    {
        var check = new Check().Id("actor", actor, required: false);
        var size = 100;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= 500))
            check.Fail("limit", "must be a whole number from 1 to 500");
        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) beforeId = b;
            else check.Fail("before", "must be an audit entry id");
        }
        if (check.Problem is { } problem) return problem;
        var items = await audit.ListAsync(size, beforeId, actor, ct);
        return TypedResults.Ok(new { items, nextBefore = items.Count == size ? items[^1].Id : (long?)null });
    }
}
