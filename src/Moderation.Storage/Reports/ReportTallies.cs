using System.Data;
using Dapper;
using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>
/// Reads the reports on one comment with their reporters' records; Core policy weighs them (<see cref="ReportPolicy.Tally"/>).
/// </summary>
public static class ReportTallies
{
    public static async Task<ReportTally> ForCommentAsync(IDbConnection c, IDbTransaction? tx, string commentId, ReportPolicy policy, CancellationToken ct) =>
        policy.Tally((await c.QueryAsync<ReportRow>(new CommandDefinition(RowsSql, new { commentId }, tx, cancellationToken: ct))).AsList());

    /// <summary>
    /// Each report on the comment (parameter @commentId) with its reporter's record: reports on other comments
    /// that moderators rejected (upheld) or approved (dismissed).
    /// One probe of each reporter's other reports (LEFT JOIN … GROUP BY) instead of two correlated subqueries, none
    /// for anonymous ('ip:') reporters, whose weight does not depend on their record (ReporterTrust), and the
    /// (reporter_key, comment_id) index of migration 005 answers the probe without reading the reports table.
    /// Grouped by the report's key (one group per report), which PostgreSQL accepts for the report's other columns.
    /// No ORDER BY: the tally is exact in any order (<see cref="ReportSums"/>).
    /// </summary>
    internal static readonly string RowsSql = $"""
        SELECT r.reporter_key AS ReporterKey, coalesce(r.address_key, r.reporter_key) AS AddressKey, r.reason AS Reason,
            count(CASE WHEN d.status = 'rejected' THEN 1 END) AS Upheld,
            count(CASE WHEN d.status = 'approved' THEN 1 END) AS Dismissed
        FROM reports r
        LEFT JOIN reports o ON o.reporter_key = r.reporter_key AND o.comment_id <> r.comment_id AND NOT {AnonymousKeySql.StartsWith("r.reporter_key", AnonymousKeySql.Prefix)}
        LEFT JOIN comments d ON d.comment_id = o.comment_id AND d.status IN ('rejected', 'approved')
        WHERE r.comment_id = @commentId
        GROUP BY r.id
        """;

    /// <summary>
    /// One reporter's record (parameters @reporterKey, @commentId): the same count as <see cref="RowsSql"/> gives each
    /// row, for the report the writer adds to rows it holds (<see cref="TallyCache"/>). Not run for 'ip:' reporters.
    /// </summary>
    internal const string RecordSql = """
        SELECT count(CASE WHEN d.status = 'rejected' THEN 1 END) AS Upheld,
            count(CASE WHEN d.status = 'approved' THEN 1 END) AS Dismissed
        FROM reports o
        JOIN comments d ON d.comment_id = o.comment_id AND d.status IN ('rejected', 'approved')
        WHERE o.reporter_key = @reporterKey AND o.comment_id <> @commentId
        """;

    internal static bool IsAnonymous(string reporterKey) => ReportRow.IsAnonymous(reporterKey);

    /// <summary>How many readers reported the comment (the tally's count, without weighing them).</summary>
    public static Task<int> CountAsync(IDbConnection c, IDbTransaction? tx, string commentId, CancellationToken ct) =>
        c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM reports WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
}
