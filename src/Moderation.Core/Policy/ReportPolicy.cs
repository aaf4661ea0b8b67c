using Moderation.Core.Scoring;

namespace Moderation.Core.Policy;

/// <summary>How many readers reported a comment, and how much their reports weigh together.</summary>
public sealed record ReportTally(int Count, double Weight, IReadOnlyDictionary<string, int> ByReason)
{
    public static readonly ReportTally None = new(0, 0, new Dictionary<string, int>());
}

/// <summary>
/// What readers' reports do. Any report puts a shown comment in the queue (still shown); when the
/// reports' combined weight (see <see cref="ReporterTrust"/>) reaches <see cref="HideAfter"/>, the
/// comment is hidden until a moderator decides. Reports on a comment a moderator already decided are
/// recorded and shown but change nothing: the decision stands, so a brigade cannot overturn it.
/// </summary>
public sealed class ReportPolicy(int hideAfter, double maxWeightPerAddress = 2.0)
{
    public int HideAfter { get; } = Math.Max(1, hideAfter);

    /// <summary>The most that reports from one client address weigh together (see <see cref="ReporterTrust"/>).</summary>
    public double MaxWeightPerAddress { get; } = Math.Max(0.5, maxWeightPerAddress);

    public bool Hides(ReportTally tally) => tally.Weight >= HideAfter - 1e-9;

    /// <summary>
    /// Counts and weighs the reports on one comment, as storage read them (one row per reporter, with the reporter's
    /// record): each report weighs <see cref="ReporterTrust.Weight"/>, and the reports from one client address weigh
    /// together at most <see cref="MaxWeightPerAddress"/>. Sums add up in the order of <paramref name="rows"/>, which
    /// storage keeps stable (by reporter key), so the same reports always weigh the same.
    /// </summary>
    /// <remarks>
    /// One pass, no LINQ grouping: the report writer tallies a comment on every report it gets, over all of that comment's
    /// reports, so a comment with hundreds of them made the grouping a visible share of the writer's time (perf, report
    /// load run on PostgreSQL: ~4 % of the machine's CPU in <c>GroupBy</c>, on the writer's one serial path). The sums
    /// are those GroupBy gave, in the same order (addresses in order of first appearance, each address's reports in row
    /// order), so every weight comes out bit for bit as before.
    /// </remarks>
    public ReportTally Tally(IReadOnlyList<ReportRow> rows)
    {
        if (rows.Count == 0) return ReportTally.None;
        var addressIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var addressSums = new List<double>();
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var w = ReporterTrust.Weight(ReportRow.IsAnonymous(r.ReporterKey), (int)r.Upheld, (int)r.Dismissed);
            if (addressIndex.TryGetValue(r.AddressKey, out var i)) addressSums[i] += w;
            else
            {
                addressIndex.Add(r.AddressKey, addressSums.Count);
                addressSums.Add(w);
            }
            byReason[r.Reason] = byReason.GetValueOrDefault(r.Reason) + 1;
        }
        var weight = 0.0;
        foreach (var sum in addressSums) weight += Math.Min(MaxWeightPerAddress, sum);
        return new ReportTally(rows.Count, weight, byReason.ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// The reader_reports reason: its score is the weight over the threshold, to 4 decimals like every other score,
    /// and 1 exactly where the comment hides (rounding alone could show 1 for a weight just short of the threshold).
    /// </summary>
    public Reason Reason(ReportTally tally) =>
        new(ReasonCodes.ReaderReports, Hides(tally) ? 1.0 : Math.Min(0.9999, Math.Round(tally.Weight / HideAfter, 4)), null, new Dictionary<string, object?>
        {
            ["count"] = tally.Count, ["weight"] = Math.Round(tally.Weight, 3), ["hideAfter"] = HideAfter, ["byReason"] = tally.ByReason,
        });

    /// <summary>
    /// The report weight a stored reader_reports reason carries (its <c>weight</c> detail), 0 without one: what a
    /// priority is recomputed from when only the queue entry is at hand (an author's record changed).
    /// </summary>
    public static double WeightIn(IEnumerable<Reason> reasons)
    {
        var weight = reasons.FirstOrDefault(r => r.Code == ReasonCodes.ReaderReports)?.Detail?.GetValueOrDefault("weight");
        return weight switch
        {
            double d => d,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDouble(),
            _ => 0,
        };
    }

    /// <summary>Replaces any earlier reader_reports reason with the current one.</summary>
    public IReadOnlyList<Reason> Merge(IEnumerable<Reason> reasons, ReportTally tally) =>
        tally.Count == 0 ? reasons.ToList()
        : reasons.Where(r => r.Code != ReasonCodes.ReaderReports).Append(Reason(tally)).ToList();
}

/// <summary>
/// One report on a comment as <see cref="ReportPolicy.Tally"/> weighs it: the reporter, the client address it came
/// from (the reporter key when none was kept), its reason, and the reporter's record on other comments: reports
/// moderators upheld (rejected the comment) and dismissed (approved it).
/// </summary>
public sealed record ReportRow
{
    /// <summary>Reporter keys of readers who gave no reporterId start with this (a hash of their address, or an erased key).</summary>
    public const string AnonymousPrefix = "ip:";

    public string ReporterKey { get; init; } = "";
    public string AddressKey { get; init; } = "";
    public string Reason { get; init; } = "";
    public long Upheld { get; init; }
    public long Dismissed { get; init; }

    public static bool IsAnonymous(string reporterKey) => reporterKey.StartsWith(AnonymousPrefix, StringComparison.Ordinal);
}

/// <summary>
/// How much one reader's report weighs, from their record (Discourse-style):
///   anonymous (no reporterId)           0.5
///   reporterId with u upheld reports (the comment was rejected) and d dismissed ones (approved):
///                                       2 × (u + 1) / (u + d + 2)
/// A new reporter weighs 1; one whose 2 earlier reports were upheld weighs 1.5; one whose 2 were
/// dismissed weighs 0.5. Reports from one client address weigh together at most
/// <c>Moderation:Reports:MaxWeightPerAddress</c> (2): an office behind one address still counts as
/// readers, but a flood of made-up reporterIds from one address cannot reach the hide threshold (3).
/// </summary>
public static class ReporterTrust
{
    public const double Anonymous = 0.5;

    public static double Weight(bool anonymous, int upheld, int dismissed) =>
        anonymous ? Anonymous : Math.Round(2.0 * (upheld + 1) / (upheld + dismissed + 2), 4);
}
