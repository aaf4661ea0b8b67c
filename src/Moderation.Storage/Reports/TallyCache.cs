using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>
/// The report writer's memory of each recently reported comment's report rows (reporter, address, reason, record),
/// so the next report on it probes only its own reporter's record instead of re-reading every report on the comment
/// and every reporter's record (a comment with 100 reports cost 100 index probes per report).
/// <para>
/// Exact, not approximate: the rows are valid for one value of the database's <c>report_generation</c> counter
/// (migration 007), which moves on anything that changes a comment's reports or a reporter's record: triggers for
/// every change but a report's insert, and the writer itself for the reports a group inserted, in one step before the
/// group commits (migration 014). Nothing else moves it while a group runs (the group holds the counter's lock on
/// PostgreSQL, the file's write lock on SQLite), so every report of a group reads the value the group started from
/// (<see cref="Check"/>), and after the commit the writer knows where its own reports left it (<see cref="Committed"/>).
/// When the counter is anywhere else at the next group, someone else moved it, and everything held is forgotten. The
/// writer also forgets everything when a report's savepoint or the group's transaction is rolled back, so nothing it
/// holds was rolled back. Used by the one writer loop only (not thread-safe).
/// </para>
/// <para>
/// Rows are kept in <c>reporter_key</c> order, as <see cref="ReportTallies.RowsSql"/> returns them, so weights add up in
/// the same order. Ordinal order is SQLite's BINARY order for the keys the API makes (printable ASCII ids, 'ip:' + hex);
/// for other keys only the order of a floating-point sum could differ, which <c>ReportPolicy.Hides</c> tolerates.
/// </para>
/// </summary>
internal sealed class TallyCache(int maxRows = TallyCache.DefaultMaxRows)
{
    /// <summary>About 250 bytes a row: ~25 MB at most, for e.g. 1,000 comments with 100 reports each.</summary>
    public const int DefaultMaxRows = 100_000;

    sealed class Entry(List<ReportRow> rows)
    {
        public readonly List<ReportRow> Rows = rows;
        public long LastUsed;
    }

    readonly Dictionary<string, Entry> comments = new(StringComparer.Ordinal);
    long generation = -1;
    long uses;
    int rows;

    /// <summary>The comment's rows, if held and still valid. The caller adds the new report's row with <see cref="Add"/>.</summary>
    public List<ReportRow>? Get(string commentId)
    {
        if (!comments.TryGetValue(commentId, out var entry)) return null;
        entry.LastUsed = ++uses;
        return entry.Rows;
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

    /// <summary>Adds the new report's row to a held comment's rows (from <see cref="Get"/>), in reporter order.</summary>
    public void Add(List<ReportRow> held, ReportRow row)
    {
        var at = held.BinarySearch(row, ByReporter.Instance);
        held.Insert(at < 0 ? ~at : at, row);
        rows++;
        Trim();
    }

    /// <summary>Holds the rows of a comment read whole (not held, or forgotten).</summary>
    public void Hold(string commentId, List<ReportRow> all)
    {
        if (comments.Remove(commentId, out var old)) rows -= old.Rows.Count;
        comments[commentId] = new Entry(all) { LastUsed = ++uses };
        rows += all.Count;
        Trim();
    }

    /// <summary>Forgets everything (after a rollback, or when someone else changed reports or records).</summary>
    public void Clear()
    {
        comments.Clear();
        rows = 0;
        generation = -1;
    }

    public int Comments => comments.Count;

    /// <summary>Over the limit: drops the least recently used half, so trimming is rare and a hot comment stays.</summary>
    void Trim()
    {
        if (rows <= maxRows) return;
        LeastRecentlyUsed.Trim(comments, e => e.LastUsed, comments.Count - Math.Max(1, comments.Count / 2));
        rows = comments.Values.Sum(e => e.Rows.Count);
    }

    sealed class ByReporter : IComparer<ReportRow>
    {
        public static readonly ByReporter Instance = new();
        public int Compare(ReportRow? x, ReportRow? y) => string.CompareOrdinal(x!.ReporterKey, y!.ReporterKey);
    }
}
