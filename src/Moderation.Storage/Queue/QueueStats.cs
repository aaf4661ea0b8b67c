using Dapper;
using Moderation.Core.Scoring;

namespace Moderation.Storage.Queue;

public sealed record DayCount(string Day, long Flagged, long Decided);

public sealed record ModeratorCount(string DecidedBy, long Decided);

public sealed record StatsSnapshot(long Pending, IReadOnlyDictionary<string, long> PendingByReason, IReadOnlyList<DayCount> PerDay,
    IReadOnlyList<ModeratorCount> ByModerator, double? MedianSecondsToDecision);

/// <summary>Counts for the stats view, over the queue table (the current state of each flagged comment).</summary>
public sealed class QueueStats(Database db)
{
    sealed record Day
    {
        public string D { get; init; } = "";
        public long N { get; init; }
    }

    // Read through settable properties: on an empty result SQLite reports count(*) as a BLOB column, which
    // Dapper cannot match to a positional record's constructor (500 on a fresh database).
    sealed record ModeratorRow
    {
        public string DecidedBy { get; init; } = "";
        public long Decided { get; init; }
    }

    public async Task<StatsSnapshot> GetAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var from = Database.Time(since);
        var pending = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM queue WHERE state = 'pending'", cancellationToken: ct));
        var byReason = new Dictionary<string, long>();
        foreach (var code in ReasonCodes.All)
            byReason[code] = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM queue WHERE state = 'pending' AND reason_codes LIKE '%,' || @code || ',%'", new { code }, cancellationToken: ct));
        var flagged = (await c.QueryAsync<Day>(new CommandDefinition(
            "SELECT substr(flagged_at, 1, 10) AS D, count(*) AS N FROM queue WHERE flagged_at >= @from GROUP BY D", new { from }, cancellationToken: ct))).ToDictionary(d => d.D, d => d.N);
        var decided = (await c.QueryAsync<Day>(new CommandDefinition(
            "SELECT substr(decided_at, 1, 10) AS D, count(*) AS N FROM queue WHERE decided_at >= @from GROUP BY D", new { from }, cancellationToken: ct))).ToDictionary(d => d.D, d => d.N);
        var perDay = flagged.Keys.Union(decided.Keys).Order(StringComparer.Ordinal)
            .Select(d => new DayCount(d, flagged.GetValueOrDefault(d), decided.GetValueOrDefault(d))).ToList();
        var byModerator = (await c.QueryAsync<ModeratorRow>(new CommandDefinition("""
            SELECT decided_by AS DecidedBy, count(*) AS Decided FROM queue WHERE decided_at >= @from AND decided_by IS NOT NULL
            GROUP BY decided_by ORDER BY Decided DESC
            """, new { from }, cancellationToken: ct))).Select(r => new ModeratorCount(r.DecidedBy, r.Decided)).ToList();
        // The median is read straight from the sorted durations: the middle row(s), not the whole set.
        var n = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM queue WHERE decided_at >= @from AND reasons <> '[]'", new { from }, cancellationToken: ct));
        double? median = null;
        if (n > 0)
        {
            var middle = (await c.QueryAsync<double>(new CommandDefinition("""
                SELECT (julianday(decided_at) - julianday(flagged_at)) * 86400.0 AS s FROM queue
                WHERE decided_at >= @from AND reasons <> '[]' ORDER BY s LIMIT @take OFFSET @skip
                """, new { from, take = n % 2 == 0 ? 2 : 1, skip = (n - 1) / 2 }, cancellationToken: ct))).ToList();
            median = Math.Round(middle.Average(), 3);
        }
        return new StatsSnapshot(pending, byReason, perDay, byModerator, median);
    }
}
