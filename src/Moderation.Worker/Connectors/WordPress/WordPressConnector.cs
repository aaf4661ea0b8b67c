using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moderation.Core.Policy;
using Moderation.Storage.Sources;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>
/// Pulls comments from a WordPress site's REST API in ascending (date_gmt, id) order after the stored
/// cursor, page by page as <c>X-WP-TotalPages</c> says, fetching each post it has not seen once (any post type,
/// <see cref="WordPressPosts"/>). The cursor moves only over comments that were taken in: a page that fails stops the
/// walk there, and a malformed page is skipped for this poll but holds the cursor before it, so the next poll
/// reads it again. Comments are ingested idempotently, so reading one twice does no harm. Each comment's status on
/// the site is recorded (<see cref="SiteStatusRepository"/>): the site's own moderation reaches the queue, and the
/// rescan also reads trash and spam to notice comments removed there.
/// </summary>
public sealed class WordPressConnector(SourceOptions source, SourceHttp http, IngestService ingest, SourceRepository sources,
    SiteStatusRepository siteStatus, ConnectorOptions options, TimeProvider time, ILogger log) : ISourceConnector
{
    readonly WordPressPosts posts = new(source, http, sources, time, log);

    public SourceOptions Source => source;

    /// <summary>Forward: new comments after the cursor. Rescan: the recent window again, for edits, late approvals, status and article changes. Removed: trash or spam in the window, for comments we have.</summary>
    enum Kind { Forward, Rescan, Removed }

    sealed class Walk
    {
        public int Ingested, Edited, Skipped, IngestedTotal, SkippedTotal;
        public string? Error, LastSkipReason;
        public readonly HashSet<long> RefreshedPosts = [];

        /// <summary>What the page counted (for the source's counters), added to the poll's totals.</summary>
        public SourceCounts Take()
        {
            var counts = new SourceCounts(Ingested, Edited, Skipped, LastSkipReason);
            IngestedTotal += Ingested + Edited;
            SkippedTotal += Skipped;
            Ingested = Edited = Skipped = 0;
            LastSkipReason = null;
            return counts;
        }
    }

    public async Task<PollResult> PollAsync(CancellationToken ct)
    {
        var row = await sources.EnsureAsync(source.Key, SourceOptions.WordPress, source.Url, time.GetUtcNow(), ct);
        var cursor = WordPressCursor.Parse(row.Cursor) ?? (source.Since is { } since ? new WordPressCursor(since.UtcDateTime, 0) : null);
        var walk = new Walk();
        var rescan = false;
        try
        {
            await WalkAsync(cursor, Kind.Forward, null, walk, ct);
            var now = time.GetUtcNow();
            // The first full walk counts as a scan; after that, recent comments are read again now and then for edits.
            rescan = source.RescanWindow > TimeSpan.Zero && (row.LastRescanAt is null || now - Storage.Database.ParseTime(row.LastRescanAt) >= source.RescanInterval);
            if (rescan && row.LastRescanAt is not null && walk.Error is null)
            {
                var from = new WordPressCursor((now - source.RescanWindow).UtcDateTime, 0);
                await WalkAsync(from, Kind.Rescan, source.HasCredentials ? "all" : null, walk, ct);
                // Trash and spam are listed only to users who may moderate; without credentials they cannot be seen.
                if (source.HasCredentials)
                    foreach (var removed in new[] { SiteStatus.Trash, SiteStatus.Spam }) await WalkAsync(from, Kind.Removed, removed, walk, ct);
            }
        }
        catch (SourceException e)
        {
            walk.Error = e.Message;
            if (source.HasCredentials && e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                await sources.RecordAuthenticationAsync(source.Key, accepted: false, time.GetUtcNow(), ct);
        }
        if (walk.Error is not null) log.LogWarning("Source {Source}: {Error}", source.Key, walk.Error);
        await sources.RecordPollAsync(source.Key, time.GetUtcNow(), walk.Error, rescan, ct);
        return new PollResult(walk.IngestedTotal, walk.SkippedTotal, walk.Error);
    }

    async Task WalkAsync(WordPressCursor? cursor, Kind kind, string? status, Walk walk, CancellationToken ct)
    {
        var gap = false; // a page was skipped: later pages are read, but the cursor stays before the gap
        var totalPages = 1;
        status ??= source.HasCredentials ? "all" : null; // held comments too; reading them needs the credentials
        for (var page = 1; page <= totalPages; page++)
        {
            var readAt = time.GetUtcNow();
            var answer = await http.GetAsync(CommentsUrl(cursor, page, status), ct, HttpStatusCode.BadRequest);
            // WordPress answers 400 rest_comment_invalid_page_number when the pages shrank under us: the walk is over.
            if (answer.Status == HttpStatusCode.BadRequest) break;
            if (status is not null && page == 1) await sources.RecordAuthenticationAsync(source.Key, accepted: true, readAt, ct);
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
            var reads = new List<SiteRead>(comments.Count);
            foreach (var comment in comments.OrderBy(c => WordPressCursor.ParseDateGmt(c.DateGmt)).ThenBy(c => c.Id))
            {
                var at = new WordPressCursor(WordPressCursor.ParseDateGmt(comment.DateGmt)!.Value, comment.Id);
                if (kind == Kind.Forward && cursor is not null && !(at > cursor)) continue; // read before (the query overlaps by a second)
                if (kind == Kind.Removed || await TakeAsync(comment, kind, walk, ct))
                    reads.Add(new SiteRead(Id(comment.Id), comment.Id, kind == Kind.Removed ? comment.Status ?? status! : SiteStatusOf(comment)));
                if (reached is null || at > reached) reached = at;
            }
            // Before the cursor moves: a comment past the cursor always has its site status recorded (write-back needs it).
            // A new comment's status was recorded with it (CommentIn.Site): here it reads the same and changes nothing.
            // Trash and spam count only for comments taken in before: one that arrived as spam stays out.
            await siteStatus.ObserveAsync(source.Key, reads, readAt, time.GetUtcNow(), ct, knownOnly: kind == Kind.Removed);
            var counts = walk.Take();
            if (kind == Kind.Forward && !gap && reached != cursor) await sources.SaveCursorAsync(source.Key, reached!.ToString(), counts, ct);
            else if (counts != SourceCounts.None) await sources.AddCountsAsync(source.Key, counts, ct);
            if (comments.Count == 0) break;
        }
    }

    /// <summary>
    /// Comments after the cursor's date, oldest first. <c>after</c> is exclusive and whole seconds, so ask from one second
    /// earlier and drop what the cursor already covers: comments sharing the cursor's second are not lost.
    /// </summary>
    Uri CommentsUrl(WordPressCursor? cursor, int page, string? status)
    {
        var query = $"per_page={options.PageSize}&page={page}&orderby=date_gmt&order=asc";
        if (cursor is not null)
            query += "&after=" + Uri.EscapeDataString(cursor.DateGmt.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (status is not null) query += "&status=" + status;
        return Api($"comments?{query}");
    }

    Uri Api(string pathAndQuery) => ApiUrl(source, pathAndQuery);

    public static Uri ApiUrl(SourceOptions source, string pathAndQuery) => new(source.Url.TrimEnd('/') + "/wp-json/wp/v2/" + pathAndQuery);

    string Id(long id) => source.IdPrefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A listed comment's status on the site (a listing without credentials shows approved comments only, without one).</summary>
    static string SiteStatusOf(WpComment wp) => wp.Status ?? SiteStatus.Approved;

    /// <summary>Ingests one comment (its post first, once; again once per rescan, for article edits); false when it was passed over.</summary>
    async Task<bool> TakeAsync(WpComment wp, Kind kind, Walk walk, CancellationToken ct)
    {
        var articleId = Id(wp.Post);
        var refresh = kind == Kind.Rescan && walk.RefreshedPosts.Add(wp.Post);
        if ((refresh || !await ingest.HasArticleAsync(articleId, ct)) && await FetchPostAsync(wp, articleId, ct) is { } reason
            && !await ingest.HasArticleAsync(articleId, ct))
        {
            PassOver(walk, kind, wp, reason);
            return false;
        }
        var text = IngestRules.Cut(HtmlText.ToText(wp.Content?.Rendered, keepLinks: true), ingest.Limits.MaxCommentChars);
        var comment = new CommentIn(Id(wp.Id), articleId, text,
            wp.Author > 0 ? source.IdPrefix + "user-" + wp.Author.ToString(CultureInfo.InvariantCulture) : null,
            string.IsNullOrWhiteSpace(wp.AuthorName) ? null : IngestRules.Cut(wp.AuthorName.Trim(), 200),
            wp.Parent > 0 ? Id(wp.Parent) : null,
            new DateTimeOffset(WordPressCursor.ParseDateGmt(wp.DateGmt)!.Value),
            new Storage.Sources.SiteOrigin(source.Key, wp.Id, SiteStatusOf(wp)));
        if (ingest.Problem(comment) is { } problem)
        {
            PassOver(walk, kind, wp, problem);
            return false;
        }
        var result = await ingest.CommentAsync(comment, ct);
        if (result.Outcome is CommentOutcome.OtherArticle or CommentOutcome.UnknownArticle)
        {
            PassOver(walk, kind, wp, result.Outcome == CommentOutcome.OtherArticle ? "it moved to another post" : "its post is unknown");
            return false;
        }
        if (result.Outcome == CommentOutcome.Created) walk.Ingested++;
        else if (result.Outcome == CommentOutcome.Edited) walk.Edited++;
        return true;
    }

    /// <summary>Counted once, by the walk that moves the cursor (a rescan passes over the same comment again).</summary>
    void PassOver(Walk walk, Kind kind, WpComment wp, string reason)
    {
        log.LogWarning("Source {Source}: comment {Id} passed over: {Reason}", source.Key, wp.Id, reason);
        if (kind != Kind.Forward) return;
        walk.Skipped++;
        walk.LastSkipReason = $"comment {wp.Id}: {reason}";
    }

    /// <summary>Fetches the comment's post and stores it as an article (new or changed); the reason when it cannot be read.</summary>
    async Task<string?> FetchPostAsync(WpComment wp, string articleId, CancellationToken ct)
    {
        var (post, reason) = await posts.ReadAsync(wp.Post, wp.Links?.Up?.FirstOrDefault()?.PostType, ct);
        if (post is null) return reason;
        var title = IngestRules.Cut(HtmlText.ToText(post.Title?.Rendered), 1000);
        var body = IngestRules.Cut(HtmlText.ToText(post.Content?.Rendered), ingest.Limits.MaxArticleChars);
        if (title.Length == 0) title = "(untitled)";
        if (body.Length == 0) body = title; // an image gallery, say: the title is all there is to compare with
        var url = Uri.TryCreate(post.Link, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" && post.Link!.Length <= 2048 ? post.Link : null;
        var published = WordPressCursor.ParseDateGmt(post.DateGmt) is { } d ? new DateTimeOffset(d) : (DateTimeOffset?)null;
        await ingest.ArticleAsync(new ArticleIn(articleId, title, body, url, published), ct);
        return null;
    }
}
