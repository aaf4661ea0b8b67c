using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moderation.Storage.Sources;

namespace Moderation.Worker.Connectors.Feed;

/// <summary>One page of a JSON feed (docs/CONNECTORS.md): the articles its comments need, the comments, and where to go on.</summary>
public sealed record FeedPage(List<FeedArticle>? Articles, List<FeedComment>? Comments, string? NextCursor, bool HasMore);

public sealed record FeedArticle(string? ArticleId, string? Title, string? Body, string? Url, DateTimeOffset? PublishedAt);

public sealed record FeedComment(string? CommentId, string? ArticleId, string? Text, string? AuthorId, string? AuthorName, string? ParentId, DateTimeOffset? PostedAt);

/// <summary>
/// Pulls from a URL that answers <c>GET {Url}?cursor=…&amp;limit=…</c> with a <see cref="FeedPage"/>. The cursor is the
/// feed's own opaque text, stored after each page is taken in; a page that fails or does not parse stops the
/// poll without moving it, so the same page is asked for again next time.
/// </summary>
public sealed class FeedConnector(SourceOptions source, SourceHttp http, IngestService ingest, SourceRepository sources,
    ConnectorOptions options, TimeProvider time, ILogger log) : ISourceConnector
{
    const int MaxPagesPerPoll = 1000;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public SourceOptions Source => source;

    public async Task<PollResult> PollAsync(CancellationToken ct)
    {
        var row = await sources.EnsureAsync(source.Key, SourceOptions.Feed, source.Url, time.GetUtcNow(), ct);
        var cursor = row.Cursor;
        int ingested = 0, skipped = 0;
        string? error = null;
        try
        {
            for (var pages = 0; pages < MaxPagesPerPoll; pages++)
            {
                var answer = await http.GetAsync(PageUrl(cursor), ct);
                if (pages == 0 && source.HasCredentials) await sources.RecordAuthenticationAsync(source.Key, accepted: true, time.GetUtcNow(), ct);
                FeedPage page;
                try
                {
                    page = JsonSerializer.Deserialize<FeedPage>(answer.Body, Json) ?? throw new JsonException("the page is null");
                }
                catch (JsonException e)
                {
                    throw new SourceException($"the page after cursor '{cursor}' was malformed ({e.Message}); it will be read again", null, e);
                }
                int taken = 0, edited = 0, skippedBefore = skipped;
                foreach (var a in page.Articles ?? [])
                {
                    var article = new ArticleIn(source.IdPrefix + a.ArticleId, a.Title ?? "", a.Body ?? "", a.Url, a.PublishedAt);
                    var problem = a.ArticleId is null ? "articleId is required" : ingest.Problem(article);
                    if (problem is not null) { skipped++; Warn($"article {a.ArticleId} passed over: {problem}"); continue; }
                    await ingest.ArticleAsync(article, ct);
                }
                foreach (var c in page.Comments ?? [])
                {
                    var comment = new CommentIn(source.IdPrefix + c.CommentId, source.IdPrefix + c.ArticleId, c.Text ?? "",
                        c.AuthorId is null ? null : source.IdPrefix + c.AuthorId, c.AuthorName,
                        c.ParentId is null ? null : source.IdPrefix + c.ParentId, c.PostedAt);
                    var problem = c.CommentId is null || c.ArticleId is null ? "commentId and articleId are required" : ingest.Problem(comment);
                    if (problem is not null) { skipped++; Warn($"comment {c.CommentId} passed over: {problem}"); continue; }
                    var result = await ingest.CommentAsync(comment, ct);
                    if (result.Outcome is CommentOutcome.Created or CommentOutcome.Edited) taken++;
                    if (result.Outcome is CommentOutcome.Edited) edited++;
                    else if (result.Outcome is CommentOutcome.UnknownArticle or CommentOutcome.OtherArticle)
                    {
                        skipped++;
                        Warn($"comment {c.CommentId} passed over: {result.Outcome} (the feed must list an article before or with its comments)");
                    }
                }
                ingested += taken;
                if (page.NextCursor is not null && page.NextCursor != cursor) cursor = page.NextCursor;
                await sources.SaveCursorAsync(source.Key, cursor, new SourceCounts(taken - edited, edited, skipped - skippedBefore, null), ct);
                if (!page.HasMore || page.NextCursor is null) break;
            }
        }
        catch (SourceException e)
        {
            error = e.Message;
            log.LogWarning("Source {Source}: {Error}", source.Key, error);
            if (source.HasCredentials && e.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                await sources.RecordAuthenticationAsync(source.Key, accepted: false, time.GetUtcNow(), ct);
        }
        if (skipped > 0 && error is null) error = $"{skipped} item(s) passed over; see the log";
        await sources.RecordPollAsync(source.Key, time.GetUtcNow(), error, rescan: false, ct);
        return new PollResult(ingested, skipped, error);
    }

    void Warn(string message) => log.LogWarning("Source {Source}: {Message}", source.Key, message);

    Uri PageUrl(string? cursor)
    {
        var url = source.Url;
        var query = $"limit={options.PageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        return new Uri(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
    }
}
