namespace Moderation.Core.Relevance;

/// <summary>
/// A deliberately light English stemmer (plural and a few verb/adverb suffixes). Porter-style
/// aggressive stemming merges unrelated words ("university"/"universe"); for overlap features
/// we only need "libraries"/"library", "closing"/"closed"/"close" to meet.
/// </summary>
internal static class LightStemmer
{
    public static string Stem(string w)
    {
        if (w.Length <= 3 || !char.IsLetter(w[^1])) return w;

        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) w = w[..^3] + "y";
        else if (w.EndsWith("sses", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith("es", StringComparison.Ordinal) && w.Length > 4 && EndsWithSibilant(w[..^2])) w = w[..^2];
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)
                 && !w.EndsWith("is", StringComparison.Ordinal)) w = w[..^1];

        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5) w = UndoubleOrE(w[..^3]);
        else if (w.EndsWith("ied", StringComparison.Ordinal) && w.Length > 4) w = w[..^3] + "y";
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4 && !w.EndsWith("eed", StringComparison.Ordinal)) w = UndoubleOrE(w[..^2]);
        else if (w.EndsWith("ly", StringComparison.Ordinal) && w.Length > 5) w = w[..^2];

        // Words ending in silent 'e' lose it so "close" and "closed"/"closing" ("clos") meet.
        if (w.Length > 3 && w.EndsWith('e') && !w.EndsWith("ee", StringComparison.Ordinal)) w = w[..^1];
        return w;
    }

    private static bool EndsWithSibilant(string s) =>
        s.EndsWith('x') || s.EndsWith('z') || s.EndsWith("ch", StringComparison.Ordinal) || s.EndsWith("sh", StringComparison.Ordinal) || s.EndsWith('s');

    private static string UndoubleOrE(string s)
    {
        // "stopped" -> "stop", "running" -> "run"; but keep "ll"/"ss" ("called" -> "call").
        if (s.Length > 3 && s[^1] == s[^2] && "bdgmnprt".Contains(s[^1])) return s[..^1];
        return s;
    }
}
