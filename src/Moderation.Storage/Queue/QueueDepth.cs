using Dapper;
using Moderation.Core.Scoring;

namespace Moderation.Storage.Queue;

/// <summary>One queue depth figure: entries in <see cref="State"/>, of one reason code (null: all reasons).</summary>
public sealed record QueueDepthRow(string State, string? Reason, long Count);

/// <summary>
/// Queue depth for the metrics scrape: entries per state, and pending entries per reason. Each count is an index range:
/// the state indexes of migration 001, and for a reason its partial index of migration 004 (the code, from the fixed
/// list, is inlined so SQLite can match the index's predicate). Synchronous: metric callbacks are.
/// </summary>
public sealed class QueueDepth(Database db)
{
    public IReadOnlyList<QueueDepthRow> Read()
    {
        using var c = db.OpenAsync().GetAwaiter().GetResult();
        var rows = new List<QueueDepthRow>();
        foreach (var state in new[] { "pending", "decided" })
            rows.Add(new QueueDepthRow(state, null, c.ExecuteScalar<long>("SELECT count(*) FROM queue WHERE state = @state", new { state })));
        foreach (var code in ReasonCodes.All)
            rows.Add(new QueueDepthRow("pending", code, c.ExecuteScalar<long>(
                $"SELECT count(*) FROM queue WHERE state = 'pending' AND instr(reason_codes, ',{code},') > 0")));
        return rows;
    }
}
