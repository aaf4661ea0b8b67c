using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>
/// The report writer's memory of each recently reported comment's report sums (<see cref="ReportSums"/>: count, count
/// per reason, weight per client address), so the next report on it probes only its own reporter's record and adds
/// one row, instead of re-reading every report on the comment and every reporter's record (a comment with 100 reports
/// cost 100 index probes per report) and weighing them all again.
/// <para>
/// Exact, not approximate: the sums are valid for one value of the database's <c>report_generation</c> counter
/// (migration 007), which moves on anything that changes a comment's reports or a reporter's record: triggers for
/// every change but a report's insert, and the writer itself for the reports a group inserted, in one step before the
/// group commits (migration 014). Nothing else moves it while a group runs (the group holds the counter's lock on
/// PostgreSQL, the file's write lock on SQLite), so every report of a group reads the value the group started from
/// (<see cref="Check"/>), and after the commit the writer knows where its own reports left it (<see cref="Committed"/>).
/// When the counter is anywhere else at the next group, someone else moved it, and everything held is forgotten. The
/// writer also forgets everything when a report's savepoint or the group's transaction is rolled back, so nothing it
/// holds was rolled back. Used by the one writer loop only (not thread-safe).
/// </para>
/// </summary>
internal sealed class TallyCache(int maxAddresses = TallyCache.DefaultMaxAddresses)
{
    /// <summary>
    /// Sums hold one entry per client address of a comment's reports, about 150 bytes each: ~30 MB at most, for e.g.
    /// 2,000 comments reported from 100 addresses each. (Rows, held before, were ~250 bytes per report, and a load run
    /// of 500 comments passed the old limit of 100,000 of them in 35 s; docs/SCALING.md, session 9.)
    /// </summary>
    public const int DefaultMaxAddresses = 200_000;

    sealed class Entry(ReportSums sums)
    {
        public readonly ReportSums Sums = sums;
        public long LastUsed;
    }

    readonly Dictionary<string, Entry> comments = new(StringComparer.Ordinal);
    long generation = -1;
    long uses;
    int addresses;

    /// <summary>
    /// The comment's sums, if held, still valid and made under the same cap per address (a settings change moves the
    /// cap). The caller adds the new report with <see cref="Add"/>.
    /// </summary>
    public ReportSums? Get(string commentId, ReportPolicy policy)
    {
        if (!comments.TryGetValue(commentId, out var entry) || entry.Sums.CapUnits != policy.MaxUnitsPerAddress) return null;
        entry.LastUsed = ++uses;
        return entry.Sums;
    }

    /// <summary>
    /// Called with the counter as a report of the current group read it (the value before the group's own bump): keeps
    /// what is held only if that is where the writer's last committed group left it.
    /// </summary>
    public void Check(long current)
    {
        if (current != generation) Clear();
        generation = current;
    }

    /// <summary>The group committed, and with it its bump of the counter by the reports it inserted.</summary>
    public void Committed(int inserted)
    {
        if (generation >= 0) generation += inserted;
    }

    /// <summary>Adds the new report's row to a held comment's sums (from <see cref="Get"/>).</summary>
    public void Add(ReportSums held, ReportRow row)
    {
        var before = held.Addresses;
        held.Add(row);
        addresses += held.Addresses - before;
        Trim();
    }

    /// <summary>Holds the sums of a comment read whole (not held, or forgotten).</summary>
    public void Hold(string commentId, ReportSums sums)
    {
        if (comments.Remove(commentId, out var old)) addresses -= old.Sums.Addresses;
        comments[commentId] = new Entry(sums) { LastUsed = ++uses };
        addresses += sums.Addresses;
        Trim();
    }

    /// <summary>Forgets everything (after a rollback, or when someone else changed reports or records).</summary>
    public void Clear()
    {
        comments.Clear();
        addresses = 0;
        generation = -1;
    }

    public int Comments => comments.Count;

    /// <summary>Over the limit: drops the least recently used half, so trimming is rare and a hot comment stays.</summary>
    void Trim()
    {
        if (addresses <= maxAddresses) return;
        LeastRecentlyUsed.Trim(comments, e => e.LastUsed, comments.Count - Math.Max(1, comments.Count / 2));
        addresses = comments.Values.Sum(e => e.Sums.Addresses);
    }
}
