using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Moderation.Worker.Connectors;

/// <summary>
/// Turns the HTML a CMS renders (or stores) into the plain text we score: entities decoded, tags
/// dropped, scripts and styles dropped with their content, whitespace collapsed, and paragraph
/// and line breaks kept as blank lines and newlines. With <c>keepLinks</c> a link keeps where it goes: "my store
/// (http://cheap-watches.example/deals)", the one piece of evidence a spam decision needs (docs/CONNECTORS.md).
/// </summary>
public static partial class HtmlText
{
    enum Break { None, Space, Line, Paragraph }

    static readonly HashSet<string> ParagraphTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table", "figure", "hr",
        "section", "article", "header", "footer", "aside", "nav", "address", "details",
    };

    static readonly HashSet<string> LineTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "div", "li", "tr", "dt", "dd", "figcaption", "summary", "caption",
    };

    static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "iframe", "object",
    };

    /// <param name="html">Rendered HTML (WordPress REST <c>rendered</c> fields) or stored content.</param>
    /// <param name="newlinesAreBreaks">
    /// True for content as WordPress stores it (WXR exports): there a newline is a line break and a
    /// blank line a paragraph, which <c>wpautop</c> would turn into &lt;br&gt; and &lt;p&gt; when rendering.
    /// </param>
    /// <param name="keepLinks">
    /// True for comments: an http(s) link's target follows its text in parentheses, unless the text already is the
    /// address (WordPress turns bare URLs in comments into such links). Off for articles, whose links are not evidence.
    /// </param>
    public static string ToText(string? html, bool newlinesAreBreaks = false, bool keepLinks = false)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var text = new StringBuilder(html.Length);
        var pending = Break.None;
        var newlines = 0;
        string? href = null;
        var linkStart = 0;

        void Emit(char c)
        {
            if (text.Length > 0)
                text.Append(pending switch { Break.Paragraph => "\n\n", Break.Line => "\n", Break.Space => " ", _ => "" });
            pending = Break.None;
            newlines = 0;
            text.Append(c);
        }

        void Want(Break b) { if (b > pending) pending = b; }

        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<' && TryTag(html, i, out var name, out var closing, out var end))
            {
                var tag = html.AsSpan(i, end - i + 1);
                i = end;
                if (name.Length == 0) continue; // a comment or declaration
                if (!closing && DroppedWithContent.Contains(name) && html[end - 1] != '/')
                {
                    var close = html.IndexOf("</" + name, end, StringComparison.OrdinalIgnoreCase);
                    i = close < 0 ? html.Length : Math.Max(end, html.IndexOf('>', close) is var gt and >= 0 ? gt : html.Length);
                    continue;
                }
                if (keepLinks && name.Equals("a", StringComparison.OrdinalIgnoreCase))
                {
                    if (!closing) (href, linkStart) = (Href(tag.ToString()), text.Length);
                    else if (href is not null)
                    {
                        if (!SameAddress(text.ToString(linkStart, text.Length - linkStart), href))
                        {
                            Want(Break.Space);
                            foreach (var ch in "(" + href + ")") Emit(ch);
                        }
                        href = null;
                    }
                    continue;
                }
                if (ParagraphTags.Contains(name)) Want(Break.Paragraph);
                else if (LineTags.Contains(name)) Want(Break.Line);
                continue;
            }
            if (c == '&' && TryEntity(html, i, out var decoded, out var entityEnd))
            {
                foreach (var d in decoded)
                {
                    if (d is '\u00a0' or ' ' or '\t') Want(Break.Space);
                    else if (!char.IsControl(d)) Emit(d);
                }
                i = entityEnd;
                continue;
            }
            if (c == '\n' && newlinesAreBreaks)
            {
                newlines++;
                Want(newlines >= 2 ? Break.Paragraph : Break.Line);
            }
            else if (char.IsWhiteSpace(c)) Want(Break.Space);
            else if (!char.IsControl(c)) Emit(c);
        }
        return text.ToString();
    }

    [GeneratedRegex("""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex HrefAttribute();

    /// <summary>The tag's http(s) href, entities decoded; null for anything else (anchors, javascript:, relative paths).</summary>
    static string? Href(string tag)
    {
        var m = HrefAttribute().Match(tag);
        if (!m.Success) return null;
        var value = WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value).Trim();
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !value.Any(char.IsControl) ? value : null;
    }

    /// <summary>Link text that is the address itself (give or take the scheme, www. and a trailing slash) needs no repeat.</summary>
    static bool SameAddress(string linkText, string href)
    {
        static string Bare(string s)
        {
            s = s.Trim();
            foreach (var prefix in new[] { "https://", "http://", "www." })
                if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) s = s[prefix.Length..];
            return s.TrimEnd('/');
        }
        return string.Equals(Bare(linkText), Bare(href), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Recognises a tag, comment or declaration at <paramref name="start"/>; anything else is a literal '&lt;'.</summary>
    static bool TryTag(string html, int start, out string name, out bool closing, out int end)
    {
        name = "";
        closing = false;
        end = start;
        if (string.CompareOrdinal(html, start, "<!--", 0, 4) == 0)
        {
            var close = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
            end = close < 0 ? html.Length - 1 : close + 2;
            return true;
        }
        var i = start + 1;
        if (i < html.Length && html[i] is '!' or '?')
        {
            var gt = html.IndexOf('>', i);
            end = gt < 0 ? html.Length - 1 : gt;
            return true;
        }
        if (i < html.Length && html[i] == '/') { closing = true; i++; }
        var nameStart = i;
        while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] == '-')) i++;
        if (i == nameStart || !char.IsAsciiLetter(html[nameStart])) return false;
        name = html[nameStart..i];
        char? quote = null;
        for (; i < html.Length; i++)
        {
            var c = html[i];
            if (quote is { } q) { if (c == q) quote = null; }
            else if (c is '"' or '\'') quote = c;
            else if (c == '>') { end = i; return true; }
        }
        end = html.Length - 1;
        return true;
    }

    static bool TryEntity(string html, int start, out string decoded, out int end)
    {
        decoded = "";
        end = start;
        var semicolon = html.IndexOf(';', start + 1, Math.Min(32, html.Length - start - 1));
        if (semicolon < 0) return false;
        var entity = html[start..(semicolon + 1)];
        decoded = WebUtility.HtmlDecode(entity);
        if (decoded == entity) return false;
        end = semicolon;
        return true;
    }
}
