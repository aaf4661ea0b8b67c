using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>
/// Reader reports as they stand, for reading. Writing them is <see cref="ReportWriter"/>'s (group commit), kept apart
/// so a caller that only reads does not hold the writer, and the writer's queue and connection stay its own.
/// </summary>
public sealed class ReportRepository(Database db)
{
    /// <summary>The reports on one comment, weighed by Core policy (<see cref="ReportPolicy.Tally"/>).</summary>
    public async Task<ReportTally> TallyAsync(string commentId, ReportPolicy policy, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ReportTallies.ForCommentAsync(c, null, commentId, policy, ct);
    }
}
