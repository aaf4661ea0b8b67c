namespace Moderation.Core.Profanity;

/// <summary>
/// Decodes one HTML character reference at the start of a span ("&amp;#117;", "&amp;#x75;", "&amp;uuml;").
/// Named references cover the markup basics plus the Latin-1 accent pattern (X + acute/grave/uml/...),
/// which is what evasions use; anything else is left as text.
/// </summary>
internal static class HtmlEntity
{
    private const int MaxLength = 12;
    private static readonly string[] AccentSuffixes = ["acute", "grave", "uml", "circ", "tilde", "ring", "cedil", "slash", "caron", "macr", "ogon", "dot"];

    public static bool TryDecode(ReadOnlySpan<char> s, out int codePoint, out int length)
    {
        codePoint = 0; length = 0;
        if (s.Length < 4 || s[0] != '&') return false;
        int semi = s.Slice(0, Math.Min(s.Length, MaxLength)).IndexOf(';');
        if (semi < 3) return false;
        var body = s.Slice(1, semi - 1);
        length = semi + 1;
        if (body[0] == '#') return Numeric(body, out codePoint);
        codePoint = Named(body);
        // Double-encoded numeric reference: "&amp;#117;" is "&#117;" after one decode.
        if (codePoint == '&' && s.Length > length && s[length] == '#')
        {
            var rest = s.Slice(length, Math.Min(s.Length - length, MaxLength));
            int semi2 = rest.IndexOf(';');
            if (semi2 > 1 && Numeric(rest[..semi2], out int inner)) { codePoint = inner; length += semi2 + 1; }
        }
        return codePoint != 0;
    }

    /// <summary>Body "#117" or "#x75" (without '&amp;' and ';').</summary>
    private static bool Numeric(ReadOnlySpan<char> body, out int codePoint)
    {
        codePoint = 0;
        bool hex = body.Length > 1 && (body[1] | 0x20) == 'x';
        var digits = body.Slice(hex ? 2 : 1);
        if (digits.Length == 0 || digits.Length > 7) return false;
        int v = 0;
        foreach (var ch in digits)
        {
            int d = ch is >= '0' and <= '9' ? ch - '0' : hex && (ch | 0x20) is >= 'a' and <= 'f' ? (ch | 0x20) - 'a' + 10 : -1;
            if (d < 0) return false;
            v = v * (hex ? 16 : 10) + d;
        }
        if (v is <= 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF)) return false;
        codePoint = v;
        return true;
    }

    private static int Named(ReadOnlySpan<char> n)
    {
        switch (n)
        {
            case "amp": return '&';
            case "lt": return '<';
            case "gt": return '>';
            case "quot": return '"';
            case "apos": return '\'';
            case "nbsp": return ' ';
            case "shy": return 0xAD;
            case "zwj": return 0x200D;
            case "zwnj": return 0x200C;
            case "szlig": return 's';
            case "euro": return 0x20AC;
            case "commat": return '@';
            case "dollar": return '$';
            case "ast": return '*';
            case "excl": return '!';
        }
        if (n.Length >= 3 && char.IsAsciiLetter(n[0]))
        {
            var rest = n.Slice(1);
            foreach (var suffix in AccentSuffixes)
                if (rest.SequenceEqual(suffix)) return char.ToLowerInvariant(n[0]);
            if (rest.SequenceEqual("lig")) return char.ToLowerInvariant(n[0]); // &aelig; / &oelig;: first letter
        }
        return 0;
    }
}
