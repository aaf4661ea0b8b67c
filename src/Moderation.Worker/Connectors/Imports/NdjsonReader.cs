using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Moderation.Worker.Connectors.Imports;

/// <summary>
/// Newline-delimited JSON, one object a line (docs/CONNECTORS.md): <c>{"type":"article", articleId, title, body, url?, publishedAt?}</c>
/// or a comment in the ingest shape plus its article, <c>{"type":"comment"?, articleId, commentId, text, authorId?, authorName?, parentId?, postedAt?}</c>.
/// Blank lines are skipped; a line that does not parse is reported with its number and the rest goes on.
/// </summary>
public static class NdjsonReader
{
    sealed record Line(string? Type, string? ArticleId, string? Title, string? Body, string? Url, DateTimeOffset? PublishedAt,
        string? CommentId, string? Text, string? AuthorId, string? AuthorName, string? ParentId, DateTimeOffset? PostedAt);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async IAsyncEnumerable<ImportRecord> ReadAsync(Stream file, string idPrefix, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(file, leaveOpen: true);
        long number = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(number, text, idPrefix);
        }
    }

    static ImportRecord Parse(long number, string text, string prefix)
    {
        Line? line;
        try { line = JsonSerializer.Deserialize<Line>(text, Json); }
        catch (JsonException e) { return new ImportRecord(number, Error: "not a JSON object: " + e.Message); }
        if (line is null) return new ImportRecord(number, Error: "not a JSON object");
        if (line.ArticleId is null) return new ImportRecord(number, Error: "articleId is required");
        return line.Type switch
        {
            "article" => new ImportRecord(number, Article: new ArticleIn(prefix + line.ArticleId, line.Title ?? "", line.Body ?? "", line.Url, line.PublishedAt)),
            null or "comment" when line.CommentId is null => new ImportRecord(number, Error: "commentId is required (or \"type\":\"article\" for an article)"),
            null or "comment" => new ImportRecord(number, Comment: new CommentIn(prefix + line.CommentId, prefix + line.ArticleId, line.Text ?? "",
                line.AuthorId is null ? null : prefix + line.AuthorId, line.AuthorName, line.ParentId is null ? null : prefix + line.ParentId, line.PostedAt)),
            _ => new ImportRecord(number, Error: $"type must be \"article\" or \"comment\", not \"{line.Type}\""),
        };
    }
}
