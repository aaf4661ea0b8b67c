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

    /// <summary>The reader_reports reason: its score is the weight over the threshold, reaching 1 where the comment hides.</summary>
    public Reason Reason(ReportTally tally) =>
        new(ReasonCodes.ReaderReports, Math.Min(1.0, tally.Weight / HideAfter), null, new Dictionary<string, object?>
        {
            ["count"] = tally.Count, ["weight"] = Math.Round(tally.Weight, 3), ["hideAfter"] = HideAfter, ["byReason"] = tally.ByReason,
        });

    /// <summary>Replaces any earlier reader_reports reason with the current one.</summary>
    public IReadOnlyList<Reason> Merge(IEnumerable<Reason> reasons, ReportTally tally) =>
        tally.Count == 0 ? reasons.ToList()
        : reasons.Where(r => r.Code != ReasonCodes.ReaderReports).Append(Reason(tally)).ToList();
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
