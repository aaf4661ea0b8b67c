namespace Moderation.Api.Validation;

/// <summary>
/// Collects field errors for one request; <see cref="Problem"/> is null when all is well.
/// Ids are 1–128 printable ASCII characters (no spaces): what CMSs use (numbers, slugs, UUIDs).
/// </summary>
public sealed class Check
{
    readonly Dictionary<string, List<string>> errors = new();

    public bool Ok => errors.Count == 0;

    public Check Fail(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Check Id(string field, string? value, bool required = true)
    {
        if (value is null) return required ? Fail(field, "is required") : this;
        if (!IsId(value)) Fail(field, "must be 1–128 printable ASCII characters without spaces");
        return this;
    }

    public Check Text(string field, string? value, int max, bool required = true)
    {
        if (value is null) return required ? Fail(field, "is required") : this;
        if (required && string.IsNullOrWhiteSpace(value)) return Fail(field, "must not be empty");
        if (value.Length > max) return Fail(field, $"must be at most {max} characters");
        if (!IsCleanText(value)) Fail(field, "must not contain control characters or unpaired surrogates");
        return this;
    }

    public Check OneOf(string field, string? value, IReadOnlySet<string> allowed, bool required = true)
    {
        if (value is null) return required ? Fail(field, "is required") : this;
        if (!allowed.Contains(value)) Fail(field, "must be one of: " + string.Join(", ", allowed.Order()));
        return this;
    }

    /// <summary>An optional whole number from a query string, within [min, max]; <paramref name="fallback"/> when absent.</summary>
    public Check Int(string field, string? value, int min, int max, int fallback, out int result)
    {
        result = fallback;
        if (value is null) return this;
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out result) || result < min || result > max)
        {
            result = fallback;
            Fail(field, $"must be a whole number from {min} to {max}");
        }
        return this;
    }

    public IResult? Problem => Ok ? null : TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public static bool IsId(string value) => value.Length is >= 1 and <= 128 && value.All(c => c is >= '!' and <= '~');

    /// <summary>Text as readers write it: tabs and newlines are fine, other control characters and broken UTF-16 are not.</summary>
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
            else if (char.IsLowSurrogate(c)) return false;
            else if (c < ' ' && c is not ('\n' or '\r' or '\t')) return false;
            else if (c == '\u007f') return false;
        }
        return true;
    }
}
