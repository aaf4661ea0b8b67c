using System.Data;
using Dapper;
using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>Counts and weighs the reports on one comment (see <see cref="ReporterTrust"/>).</summary>
public static class ReportTallies
{
    sealed record Row
    {
        public string ReporterKey { get; init; } = "";
        public string AddressKey { get; init; } = "";
        public string Reason { get; init; } = "";
        public long Upheld { get; init; }
        public long Dismissed { get; init; }
    }

    public static async Task<ReportTally> ForCommentAsync(IDbConnection c, IDbTransaction? tx, string commentId, ReportPolicy policy, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT r.reporter_key AS ReporterKey, coalesce(r.address_key, r.reporter_key) AS AddressKey, r.reason AS Reason,
                (SELECT count(*) FROM reports o JOIN comments d ON d.comment_id = o.comment_id
                 WHERE o.reporter_key = r.reporter_key AND o.comment_id <> r.comment_id AND d.status = 'rejected') AS Upheld,
                (SELECT count(*) FROM reports o JOIN comments d ON d.comment_id = o.comment_id
                 WHERE o.reporter_key = r.reporter_key AND o.comment_id <> r.comment_id AND d.status = 'approved') AS Dismissed
            FROM reports r WHERE r.comment_id = @commentId
            """, new { commentId }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return ReportTally.None;
        var weight = rows
            .GroupBy(r => r.AddressKey)
            .Sum(g => Math.Min(policy.MaxWeightPerAddress,
                g.Sum(r => ReporterTrust.Weight(r.ReporterKey.StartsWith("ip:", StringComparison.Ordinal), (int)r.Upheld, (int)r.Dismissed))));
        var byReason = rows.GroupBy(r => r.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new ReportTally(rows.Count, weight, byReason);
    }
}
