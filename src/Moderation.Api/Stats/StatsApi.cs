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
            .WithSummary("Pending by reason, flagged and decided per day, decisions per moderator, median time to decision");
        return api;
    }

    static async Task<IResult> Get(QueueStats stats, TimeProvider time, CancellationToken ct, string? days = null)
    {
        var n = 14;
        if (days is not null && !(int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n is >= 1 and <= 366))
            return new Check().Fail("days", "must be a whole number from 1 to 366").Problem!;
        var since = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - n);
        return TypedResults.Ok(await stats.GetAsync(since, ct));
    }
}
