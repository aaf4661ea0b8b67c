using System.Globalization;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>
/// Where a WordPress source's walk stands: the <c>date_gmt</c> and id of the last comment taken in.
/// WordPress dates have whole seconds and many comments can share one, so the date alone would
/// lose or repeat comments; (date, id) is the order WordPress sorts in when asked for <c>orderby=date_gmt</c>.
/// Stored as <c>2026-11-25T10:00:00Z#123</c>.
/// </summary>
public sealed record WordPressCursor(DateTime DateGmt, long Id) : IComparable<WordPressCursor>
{
    public int CompareTo(WordPressCursor? other) =>
        other is null ? 1 : DateGmt != other.DateGmt ? DateGmt.CompareTo(other.DateGmt) : Id.CompareTo(other.Id);

    public static bool operator >(WordPressCursor a, WordPressCursor b) => a.CompareTo(b) > 0;
    public static bool operator <(WordPressCursor a, WordPressCursor b) => a.CompareTo(b) < 0;

    public override string ToString() => DateGmt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "#" + Id.ToString(CultureInfo.InvariantCulture);

    public static WordPressCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var hash = text.LastIndexOf('#');
        return hash > 0
            && DateTime.TryParse(text[..hash], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            && long.TryParse(text[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new WordPressCursor(DateTime.SpecifyKind(date, DateTimeKind.Utc), id)
            : null;
    }

    /// <summary>WordPress's <c>date_gmt</c> ("2026-11-25T10:00:00", no zone: it is UTC).</summary>
    public static DateTime? ParseDateGmt(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null;
}
