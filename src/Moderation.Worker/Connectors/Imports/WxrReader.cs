using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml;

namespace Moderation.Worker.Connectors.Imports;

/// <summary>
/// A WordPress export (WXR, what Tools → Export writes): an RSS file whose <c>item</c>s are posts carrying their
/// comments as <c>wp:comment</c> elements. Read forward with an <see cref="XmlReader"/>, so only the item being read
/// is in memory. A post becomes an article when its first comment is met (posts without comments are not needed);
/// spam, trashed comments, pingbacks and trackbacks are left out. Ids are WordPress's, after <c>idPrefix</c>,
/// exactly as the WordPress connector makes them, so a backfill and the live connector agree.
/// </summary>
public static class WxrReader
{
    const string WpNamespacePrefix = "http://wordpress.org/export/";
    const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    sealed class Post
    {
        public string? Id, Title, Link, Content, DateGmt;
        public bool Stored;
    }

    public static async IAsyncEnumerable<ImportRecord> ReadAsync(Stream file, string idPrefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var settings = new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        using var reader = XmlReader.Create(file, settings);
        var lines = (IXmlLineInfo)reader;
        while (await reader.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "item" || reader.NamespaceURI.Length != 0 || reader.IsEmptyElement) continue;
            var post = new Post();
            var depth = reader.Depth;
            await reader.ReadAsync();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element) { await reader.ReadAsync(); continue; }
                var line = lines.LineNumber;
                if (IsWp(reader, "comment"))
                {
                    var comment = await ReadCommentAsync(reader);
                    if (!post.Stored)
                    {
                        post.Stored = true;
                        yield return ToArticle(post, idPrefix, line);
                    }
                    if (ToComment(comment, post, idPrefix, line) is { } record) yield return record;
                    continue;
                }
                if (reader.LocalName == "title" && reader.NamespaceURI.Length == 0) post.Title = await reader.ReadElementContentAsStringAsync();
                else if (reader.LocalName == "link" && reader.NamespaceURI.Length == 0) post.Link = await reader.ReadElementContentAsStringAsync();
                else if (reader.LocalName == "encoded" && reader.NamespaceURI == ContentNamespace) post.Content = await reader.ReadElementContentAsStringAsync();
                else if (IsWp(reader, "post_id")) post.Id = (await reader.ReadElementContentAsStringAsync()).Trim();
                else if (IsWp(reader, "post_date_gmt")) post.DateGmt = await reader.ReadElementContentAsStringAsync();
                else await reader.SkipAsync();
            }
        }
    }

    static bool IsWp(XmlReader reader, string name) =>
        reader.LocalName == name && reader.NamespaceURI.StartsWith(WpNamespacePrefix, StringComparison.Ordinal);

    /// <summary>The child elements of one <c>wp:comment</c>, by local name (<c>comment_id</c>, <c>comment_content</c>, …).</summary>
    static async Task<Dictionary<string, string>> ReadCommentAsync(XmlReader reader)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.IsEmptyElement) { await reader.ReadAsync(); return fields; }
        var depth = reader.Depth;
        await reader.ReadAsync();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) && !reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element) { await reader.ReadAsync(); continue; }
            if (reader.LocalName == "commentmeta") await reader.SkipAsync();
            else fields[reader.LocalName] = await reader.ReadElementContentAsStringAsync();
        }
        await reader.ReadAsync(); // past </wp:comment>
        return fields;
    }

    static ImportRecord ToArticle(Post post, string prefix, long line)
    {
        if (string.IsNullOrEmpty(post.Id)) return new ImportRecord(line, Error: "a post with comments has no wp:post_id before them");
        var title = IngestRules.Cut(HtmlText.ToText(post.Title), 1000);
        var body = HtmlText.ToText(post.Content, newlinesAreBreaks: true);
        if (title.Length == 0) title = "(untitled)";
        if (body.Length == 0) body = title;
        var url = Uri.TryCreate(post.Link, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? post.Link : null;
        return new ImportRecord(line, Article: new ArticleIn(prefix + post.Id, title, body, url, ParseGmt(post.DateGmt)));
    }

    static ImportRecord? ToComment(Dictionary<string, string> c, Post post, string prefix, long line)
    {
        var approved = c.GetValueOrDefault("comment_approved")?.Trim();
        var type = c.GetValueOrDefault("comment_type")?.Trim();
        if (approved is "spam" or "trash" || type is "pingback" or "trackback") return null;
        var id = c.GetValueOrDefault("comment_id")?.Trim();
        if (string.IsNullOrEmpty(id)) return new ImportRecord(line, Error: "a wp:comment has no wp:comment_id");
        if (string.IsNullOrEmpty(post.Id)) return null; // reported once, with the article
        var parent = c.GetValueOrDefault("comment_parent")?.Trim();
        var user = c.GetValueOrDefault("comment_user_id")?.Trim();
        var author = c.GetValueOrDefault("comment_author")?.Trim();
        return new ImportRecord(line, Comment: new CommentIn(
            prefix + id, prefix + post.Id, HtmlText.ToText(c.GetValueOrDefault("comment_content"), newlinesAreBreaks: true, keepLinks: true),
            string.IsNullOrEmpty(user) || user == "0" ? null : prefix + "user-" + user,
            string.IsNullOrEmpty(author) ? null : IngestRules.Cut(author, 200),
            string.IsNullOrEmpty(parent) || parent == "0" ? null : prefix + parent,
            ParseGmt(c.GetValueOrDefault("comment_date_gmt"))));
    }

    /// <summary>WXR's GMT dates: "2026-11-25 10:05:00" ("0000-00-00 00:00:00" for none).</summary>
    static DateTimeOffset? ParseGmt(string? text) =>
        DateTime.TryParseExact(text?.Trim(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? new DateTimeOffset(d, TimeSpan.Zero) : null;
}
