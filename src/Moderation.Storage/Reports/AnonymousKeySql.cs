using Moderation.Core.Policy;

namespace Moderation.Storage.Reports;

/// <summary>
/// Anonymous reporter keys in SQL, built from Core's <see cref="ReportRow.AnonymousPrefix"/>, so the queries and
/// <see cref="ReportRow.IsAnonymous"/> agree on who is anonymous. Only these constants go into SQL text, never input.
/// </summary>
internal static class AnonymousKeySql
{
    public const string Prefix = ReportRow.AnonymousPrefix;

    /// <summary>An erased reporter's reports keep counting once, as nobody in particular: <c>Prefix + "erased:" + id</c>.</summary>
    public const string ErasedPrefix = Prefix + "erased:";

    /// <summary>A report whose address hash retention dropped: <c>Prefix + "expired:" + id</c>.</summary>
    public const string ExpiredPrefix = Prefix + "expired:";

    /// <summary>SQL that is true when <paramref name="column"/> starts with <paramref name="prefix"/> (one of the constants above).</summary>
    public static string StartsWith(string column, string prefix) => $"substr({column}, 1, {prefix.Length}) = '{prefix}'";
}
