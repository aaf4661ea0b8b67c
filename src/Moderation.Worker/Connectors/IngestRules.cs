namespace Moderation.Worker.Connectors;

/// <summary>The contract's rules for ids and text, for input that does not come through the HTTP validators.</summary>
public static class IngestRules
{
    /// <summary>1–128 printable ASCII characters without spaces: what CMSs use (numbers, slugs, UUIDs).</summary>
    public static bool IsId(string? value) => value is { Length: >= 1 and <= 128 } && value.All(c => c is >= '!' and <= '~');

    public static string? TextProblem(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"{field} must not be empty";
        if (value.Length > max) return $"{field} is {value.Length} characters; the limit is {max}";
        return IsCleanText(value) ? null : $"{field} must not contain control characters or unpaired surrogates";
    }

    /// <summary>Tabs and newlines are fine; other control characters and broken UTF-16 are not.</summary>
    public static bool IsCleanText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c) || (c < ' ' && c is not ('\n' or '\r' or '\t')) || c == '\u007f') return false;
        }
        return true;
    }

    /// <summary>Cuts text to <paramref name="max"/> characters without splitting a surrogate pair.</summary>
    public static string Cut(string value, int max) =>
        value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];
}
