using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>The fields we read of <c>GET /wp-json/wp/v2/comments</c> items (everything else is ignored).</summary>
public sealed record WpComment(long Id, long Post, long Parent, long Author, string? AuthorName, string? DateGmt, WpRendered? Content,
    string? Status = null, [property: JsonPropertyName("_links")] WpLinks? Links = null);

/// <summary>A comment's <c>_links</c>: <c>up</c> names the post it belongs to and that post's type.</summary>
public sealed record WpLinks(IReadOnlyList<WpLink>? Up);

public sealed record WpLink(string? Href, string? PostType);

/// <summary>The fields we read of <c>GET /wp-json/wp/v2/posts/{id}</c>.</summary>
public sealed record WpPost(long Id, string? DateGmt, string? Link, WpRendered? Title, WpRendered? Content);

public sealed record WpRendered(string? Rendered);

/// <summary>One entry of <c>GET /wp-json/wp/v2/types</c>: where the REST API serves that type's items.</summary>
public sealed record WpType(string? Slug, string? RestBase);

static class WpJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>A page of comments, or a <see cref="JsonException"/> when it is not one (a PHP notice in front, a cut body, missing fields).</summary>
    public static IReadOnlyList<WpComment> ParsePage(string body)
    {
        var page = JsonSerializer.Deserialize<List<WpComment>>(body, Options) ?? throw new JsonException("the page is null, not a list");
        foreach (var c in page)
        {
            if (c is null || c.Id <= 0 || c.Post <= 0 || WordPressCursor.ParseDateGmt(c.DateGmt) is null || c.Content?.Rendered is null)
                throw new JsonException($"comment {c?.Id} lacks id, post, date_gmt or content.rendered");
        }
        return page;
    }
}
