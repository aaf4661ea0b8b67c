using System.Globalization;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Queue;

namespace Moderation.Api.Stats;

public static class StatsApi
{
    public static RouteGroupBuilder MapStats(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", Get).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Stats").WithName("Stats")
            .WithSummary("Pending by reason, flagged and decided per day, decisions per moderator, median time to decision")
            .Produces<StatsSnapshot>().ProducesValidationProblem();
        return api;
    }

    static async Task<IResult> Get(QueueStats stats, TimeProvider time, CancellationToken ct, string? days = null)
    {
        if (new Check().Int("days", days, 1, 366, 14, out var n).Problem is { } problem) return problem;
        var since = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - n);
        return TypedResults.Ok(await stats.GetAsync(since, ct));
    }
}
