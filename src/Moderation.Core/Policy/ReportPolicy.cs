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

    /// <summary><see cref="MaxWeightPerAddress"/> in the units <see cref="ReportSums"/> adds weights in.</summary>
    public long MaxUnitsPerAddress => ReportSums.ToUnits(MaxWeightPerAddress);

    public bool Hides(ReportTally tally) => tally.Weight >= HideAfter - 1e-9;

    /// <summary>
    /// Counts and weighs the reports on one comment, as storage read them (one row per reporter, with the reporter's
    /// record): each report weighs <see cref="ReporterTrust.Weight"/>, and the reports from one client address weigh
    /// together at most <see cref="MaxWeightPerAddress"/>. Exact, whatever the order of <paramref name="rows"/>
    /// (<see cref="ReportSums"/>), so the same reports always weigh the same.
    /// </summary>
    public ReportTally Tally(IReadOnlyList<ReportRow> rows)
    {
        if (rows.Count == 0) return ReportTally.None;
        var sums = Sums();
        foreach (var r in rows) sums.Add(r);
        return sums.Tally();
    }

    /// <summary>Empty sums under this policy's cap per address, to add a comment's reports to one at a time.</summary>
    public ReportSums Sums() => new(MaxUnitsPerAddress);

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

    /// <summary>The weight, to 4 decimals (<see cref="Units"/> of 1/10,000: what <c>Math.Round(w, 4)</c> gives).</summary>
    public static double Weight(bool anonymous, int upheld, int dismissed) => Units(anonymous, upheld, dismissed) / (double)ReportSums.UnitsPerWeight;

    /// <summary>The weight in whole units of 1/10,000, so that sums of weights are exact (<see cref="ReportSums"/>).</summary>
    public static long Units(bool anonymous, long upheld, long dismissed) =>
        ReportSums.ToUnits(anonymous ? Anonymous : 2.0 * (upheld + 1) / (upheld + dismissed + 2));
}

/// <summary>
/// The reports on one comment added up one at a time: their count, the count per reason, each address's weight and
/// the weight of them all (each address's at most the cap). Weights are whole units of 1/10,000 (a reporter's weight
/// has four decimals, <see cref="ReporterTrust"/>), so every sum is exact: adding reports in any order, or one more
/// to sums held since earlier reports, gives what adding them all afresh gives, bit for bit, and adding one costs the
/// same however many the comment has. The report writer keeps these between reports (Storage/Reports/TallyCache.cs).
/// <para>
/// Before: the rows were kept and weighed again on every report, in reporter order with floating-point sums, so the
/// order had to be the database's. That was O(reports on the comment) per report, and the held rows grew with them: a
/// load run that reported 500 comments round-robin slowed from ~3,000 to ~2,500 reports/s as they reached 300 reports
/// each, and fell to ~1,000/s once the held rows passed the cache's limit (docs/SCALING.md, session 9).
/// </para>
/// </summary>
public sealed class ReportSums(long capUnits)
{
    public const long UnitsPerWeight = 10_000;

    /// <summary>A weight in units, rounded as <c>Math.Round(weight, 4)</c> rounds it (to even at the midpoint).</summary>
    public static long ToUnits(double weight) => (long)Math.Round(weight * UnitsPerWeight);

    readonly Dictionary<string, long> byAddress = new(StringComparer.Ordinal);
    readonly SortedDictionary<string, int> byReason = new(StringComparer.Ordinal);
    long total;

    /// <summary>The most one address's reports weigh together, in units: sums made under another cap are not reused.</summary>
    public long CapUnits { get; } = capUnits;

    public int Count { get; private set; }

    /// <summary>Distinct client addresses (what the sums hold one entry for).</summary>
    public int Addresses => byAddress.Count;

    public void Add(ReportRow row)
    {
        var before = byAddress.GetValueOrDefault(row.AddressKey);
        var after = before + ReporterTrust.Units(ReportRow.IsAnonymous(row.ReporterKey), row.Upheld, row.Dismissed);
        byAddress[row.AddressKey] = after;
        total += Math.Min(CapUnits, after) - Math.Min(CapUnits, before);
        byReason[row.Reason] = byReason.GetValueOrDefault(row.Reason) + 1;
        Count++;
    }

    public ReportTally Tally() => new(Count, total / (double)UnitsPerWeight, byReason.ToDictionary(StringComparer.Ordinal));
}
