using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moderation.Storage.Sources;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>
/// Finds the post a comment belongs to, whatever its type: the comment's <c>_links.up</c> names the type, and
/// <c>/wp/v2/types</c> gives each type's REST base (<c>posts</c>, <c>pages</c>, a custom type's own); without a type,
/// posts, then pages, then every other type are tried. A post that cannot be read (deleted, private, a type the REST
/// API does not show) is recorded with its reason and asked for again on a doubling backoff from
/// <see cref="FirstRetry"/> up to a day: never once per comment.
/// </summary>
public sealed class WordPressPosts(SourceOptions source, SourceHttp http, SourceRepository sources, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(5);
    static readonly TimeSpan MaxRetry = TimeSpan.FromDays(1);
    static readonly HttpStatusCode[] Unreadable = [HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Gone];

    IReadOnlyDictionary<string, string>? restBases;
    readonly Dictionary<long, string> failedThisPoll = [];

    /// <summary>The post, or the reason it cannot be read now.</summary>
    public async Task<(WpPost? Post, string? Reason)> ReadAsync(long postId, string? postType, CancellationToken ct)
    {
        if (failedThisPoll.TryGetValue(postId, out var known)) return (null, known);
        var before = await sources.GetUnreadablePostAsync(source.Key, postId, ct);
        if (before is not null && Storage.Database.ParseTime(before.NextAttemptAt) > time.GetUtcNow())
            return (null, failedThisPoll[postId] = before.LastReason);

        var reason = $"post {postId}: no REST base answered";
        foreach (var restBase in await CandidatesAsync(postType, ct))
        {
            var answer = await http.GetAsync(WordPressConnector.ApiUrl(source, $"{restBase}/{postId}"), ct, Unreadable);
            if (answer.Status == HttpStatusCode.OK)
            {
                try
                {
                    var post = JsonSerializer.Deserialize<WpPost>(answer.Body, WpJson.Options) ?? throw new JsonException("null");
                    if (before is not null) await sources.ForgetUnreadablePostAsync(source.Key, postId, ct);
                    return (post, null);
                }
                catch (JsonException e) { throw new SourceException($"{restBase}/{postId} was malformed ({e.Message})", null, e); }
            }
            reason = $"{restBase}/{postId} answered {(int)answer.Status}";
            if (answer.Status != HttpStatusCode.NotFound) break; // private or forbidden: another base will not do better
        }
        var failures = (before?.Failures ?? 0) + 1;
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks * (1L << (int)Math.Min(failures - 1, 20))));
        log.LogWarning("Source {Source}: {Reason}; its comments are passed over, asked again in {Delay}", source.Key, reason, delay);
        await sources.RecordUnreadablePostAsync(source.Key, postId, reason, time.GetUtcNow() + delay, ct);
        return (null, failedThisPoll[postId] = reason);
    }

    /// <summary>REST bases to try: the named type's, else posts, pages and then every other type.</summary>
    async Task<IReadOnlyList<string>> CandidatesAsync(string? postType, CancellationToken ct)
    {
        restBases ??= await TypesAsync(ct);
        if (postType is not null && restBases.TryGetValue(postType, out var named)) return [named];
        return new[] { "posts", "pages" }.Concat(restBases.Values).Distinct().ToList();
    }

    /// <summary><c>GET /wp/v2/types</c> as type → REST base; posts and pages alone when the site will not say.</summary>
    async Task<IReadOnlyDictionary<string, string>> TypesAsync(CancellationToken ct)
    {
        var fallback = new Dictionary<string, string> { ["post"] = "posts", ["page"] = "pages" };
        try
        {
            var answer = await http.GetAsync(WordPressConnector.ApiUrl(source, "types"), ct);
            var types = JsonSerializer.Deserialize<Dictionary<string, WpType>>(answer.Body, WpJson.Options) ?? [];
            // wp_block, wp_template, wp_navigation…: the editor's own types never carry comments.
            foreach (var (slug, type) in types)
                if (!slug.StartsWith("wp_", StringComparison.Ordinal) && slug != "nav_menu_item" && !string.IsNullOrEmpty(type.RestBase)) fallback[slug] = type.RestBase;
        }
        catch (Exception e) when (e is SourceException or JsonException)
        {
            log.LogWarning("Source {Source}: the post types could not be read ({Message}); posts and pages only", source.Key, e.Message);
        }
        return fallback;
    }
}
