using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moderation.Storage.Sources;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>
/// Pulls comments from a WordPress site's REST API in ascending (date_gmt, id) order after the stored
/// cursor, page by page as <c>X-WP-TotalPages</c> says, fetching each post it has not seen once.
/// The cursor moves only over comments that were taken in: a page that fails stops the walk there,
/// and a malformed page is skipped for this poll but holds the cursor before it, so the next poll
/// reads it again. Comments are ingested idempotently, so reading one twice does no harm.
/// </summary>
public sealed class WordPressConnector(SourceOptions source, SourceHttp http, IngestService ingest, SourceRepository sources,
    ConnectorOptions options, TimeProvider time, ILogger log) : ISourceConnector
{
    public SourceOptions Source => source;

    sealed class Walk
    {
        public int Ingested, Skipped;
        public string? Error;
    }

    public async Task<PollResult> PollAsync(CancellationToken ct)
    {
        var row = await sources.EnsureAsync(source.Key, SourceOptions.WordPress, source.Url, time.GetUtcNow(), ct);
        var cursor = WordPressCursor.Parse(row.Cursor) ?? (source.Since is { } since ? new WordPressCursor(since.UtcDateTime, 0) : null);
        var walk = new Walk();
        var rescan = false;
        try
        {
            await WalkAsync(cursor, moveCursor: true, walk, ct);
            var now = time.GetUtcNow();
            // The first full walk counts as a scan; after that, recent comments are read again now and then for edits.
            rescan = source.RescanWindow > TimeSpan.Zero && (row.LastRescanAt is null || now - Storage.Database.ParseTime(row.LastRescanAt) >= source.RescanInterval);
            if (rescan && row.LastRescanAt is not null && walk.Error is null)
            {
                var before = walk.Ingested;
                await WalkAsync(new WordPressCursor((now - source.RescanWindow).UtcDateTime, 0), moveCursor: false, walk, ct);
                await sources.AddIngestedAsync(source.Key, walk.Ingested - before, ct);
            }
        }
        catch (SourceException e)
        {
            walk.Error = e.Message;
        }
        if (walk.Error is not null) log.LogWarning("Source {Source}: {Error}", source.Key, walk.Error);
        await sources.RecordPollAsync(source.Key, time.GetUtcNow(), walk.Error, rescan, ct);
        return new PollResult(walk.Ingested, walk.Skipped, walk.Error);
    }

    async Task WalkAsync(WordPressCursor? cursor, bool moveCursor, Walk walk, CancellationToken ct)
    {
        var gap = false; // a page was skipped: later pages are read, but the cursor stays before the gap
        var totalPages = 1;
        for (var page = 1; page <= totalPages; page++)
        {
            var answer = await http.GetAsync(CommentsUrl(cursor, page), ct, HttpStatusCode.BadRequest);
            // WordPress answers 400 rest_comment_invalid_page_number when the pages shrank under us: the walk is over.
            if (answer.Status == HttpStatusCode.BadRequest) break;
            if (answer.Headers.TryGetValues("X-WP-TotalPages", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
                totalPages = pages;
            IReadOnlyList<WpComment> comments;
            try
            {
                comments = WpJson.ParsePage(answer.Body);
            }
            catch (JsonException e)
            {
                log.LogWarning("Source {Source}: page {Page} is not a list of comments ({Message}); skipped, cursor held", source.Key, page, e.Message);
                walk.Error = $"page {page} after {cursor} was malformed ({e.Message}); it will be read again";
                gap = true;
                continue;
            }
            var reached = cursor;
            var taken = 0;
            foreach (var comment in comments.OrderBy(c => WordPressCursor.ParseDateGmt(c.DateGmt)).ThenBy(c => c.Id))
            {
                var at = new WordPressCursor(WordPressCursor.ParseDateGmt(comment.DateGmt)!.Value, comment.Id);
                if (moveCursor && cursor is not null && !(at > cursor)) continue; // read before (the query overlaps by a second)
                switch (await TakeAsync(comment, ct))
                {
                    case Taken.New: walk.Ingested++; taken++; break;
                    case Taken.PassedOver: walk.Skipped++; break;
                }
                if (reached is null || at > reached) reached = at;
            }
            if (moveCursor && !gap && reached != cursor)
                await sources.SaveCursorAsync(source.Key, reached!.ToString(), taken, ct);
            else if (moveCursor && taken > 0)
                await sources.AddIngestedAsync(source.Key, taken, ct);
            if (comments.Count == 0) break;
        }
    }

    /// <summary>
    /// Comments after the cursor's date, oldest first. <c>after</c> is exclusive and whole seconds, so ask from one second
    /// earlier and drop what the cursor already covers: comments sharing the cursor's second are not lost.
    /// </summary>
    Uri CommentsUrl(WordPressCursor? cursor, int page)
    {
        var query = $"per_page={options.PageSize}&page={page}&orderby=date_gmt&order=asc";
        if (cursor is not null)
            query += "&after=" + Uri.EscapeDataString(cursor.DateGmt.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (source.HasCredentials) query += "&status=all"; // held comments too; reading them needs the credentials
        return Api($"comments?{query}");
    }

    Uri Api(string pathAndQuery) => ApiUrl(source, pathAndQuery);

    public static Uri ApiUrl(SourceOptions source, string pathAndQuery) => new(source.Url.TrimEnd('/') + "/wp-json/wp/v2/" + pathAndQuery);

    enum Taken { New, Same, PassedOver }

    /// <summary>Ingests one comment (its post first, once): new or edited, the same as before, or passed over (cannot be taken in).</summary>
    async Task<Taken> TakeAsync(WpComment wp, CancellationToken ct)
    {
        var articleId = source.IdPrefix + wp.Post.ToString(CultureInfo.InvariantCulture);
        if (!await ingest.HasArticleAsync(articleId, ct) && !await FetchPostAsync(wp.Post, articleId, ct)) return Taken.PassedOver;
        var text = IngestRules.Cut(HtmlText.ToText(wp.Content?.Rendered), ingest.Limits.MaxCommentChars);
        var comment = new CommentIn(
            source.IdPrefix + wp.Id.ToString(CultureInfo.InvariantCulture), articleId, text,
            wp.Author > 0 ? source.IdPrefix + "user-" + wp.Author.ToString(CultureInfo.InvariantCulture) : null,
            string.IsNullOrWhiteSpace(wp.AuthorName) ? null : IngestRules.Cut(wp.AuthorName.Trim(), 200),
            wp.Parent > 0 ? source.IdPrefix + wp.Parent.ToString(CultureInfo.InvariantCulture) : null,
            new DateTimeOffset(WordPressCursor.ParseDateGmt(wp.DateGmt)!.Value));
        if (ingest.Problem(comment) is { } problem)
        {
            log.LogWarning("Source {Source}: comment {Id} passed over: {Problem}", source.Key, wp.Id, problem);
            return Taken.PassedOver;
        }
        var result = await ingest.CommentAsync(comment, ct);
        if (result.Outcome is CommentOutcome.OtherArticle or CommentOutcome.UnknownArticle)
        {
            log.LogWarning("Source {Source}: comment {Id} passed over: {Outcome}", source.Key, wp.Id, result.Outcome);
            return Taken.PassedOver;
        }
        return result.Outcome is CommentOutcome.Created or CommentOutcome.Edited ? Taken.New : Taken.Same;
    }

    /// <summary>Fetches a post and stores it as an article. False when the site will not show it (deleted, private).</summary>
    async Task<bool> FetchPostAsync(long postId, string articleId, CancellationToken ct)
    {
        var answer = await http.GetAsync(Api($"posts/{postId}"), ct, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        if (answer.Status != HttpStatusCode.OK)
        {
            log.LogWarning("Source {Source}: post {Post} answered {Status}; its comments are passed over", source.Key, postId, (int)answer.Status);
            return false;
        }
        WpPost? post;
        try { post = JsonSerializer.Deserialize<WpPost>(answer.Body, WpJson.Options); }
        catch (JsonException e) { throw new SourceException($"post {postId} was malformed ({e.Message})", null, e); }
        var title = IngestRules.Cut(HtmlText.ToText(post?.Title?.Rendered), 1000);
        var body = IngestRules.Cut(HtmlText.ToText(post?.Content?.Rendered), ingest.Limits.MaxArticleChars);
        if (title.Length == 0) title = "(untitled)";
        if (body.Length == 0) body = title; // an image gallery, say: the title is all there is to compare with
        var url = Uri.TryCreate(post?.Link, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" && post!.Link!.Length <= 2048 ? post.Link : null;
        var published = WordPressCursor.ParseDateGmt(post?.DateGmt) is { } d ? new DateTimeOffset(d) : (DateTimeOffset?)null;
        await ingest.ArticleAsync(new ArticleIn(articleId, title, body, url, published), ct);
        return true;
    }
}
