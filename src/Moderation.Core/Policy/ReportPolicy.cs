using Moderation.Core.Scoring;

namespace Moderation.Core.Policy;

/// <summary>
/// What readers' reports do. Any report puts a shown comment in the queue (still shown);
/// <see cref="HideAfter"/> distinct reporters hide it until a moderator decides.
/// Reports on a comment a moderator already decided are recorded and shown but change nothing:
/// the decision stands, so a brigade of reports cannot overturn an approval.
/// </summary>
public sealed class ReportPolicy(int hideAfter)
{
    public int HideAfter { get; } = Math.Max(1, hideAfter);

    public bool Hides(int count) => count >= HideAfter;

    /// <summary>The reader_reports reason: score grows with the count and reaches 1 at the hide threshold.</summary>
    public Reason Reason(int count, IReadOnlyDictionary<string, int> byReason) =>
        new(ReasonCodes.ReaderReports, Math.Min(1.0, (double)count / HideAfter), null,
            new Dictionary<string, object?> { ["count"] = count, ["byReason"] = byReason, ["hideAfter"] = HideAfter });

    /// <summary>Replaces any earlier reader_reports reason with the current one.</summary>
    public IReadOnlyList<Reason> Merge(IEnumerable<Reason> reasons, int count, IReadOnlyDictionary<string, int> byReason) =>
        count == 0 ? reasons.ToList()
        : reasons.Where(r => r.Code != ReasonCodes.ReaderReports).Append(Reason(count, byReason)).ToList();
}
