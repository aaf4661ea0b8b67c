using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>
/// A WordPress site as its REST API answers (wp/v2 comments, posts, pages and a custom type: fields, rendered HTML,
/// X-WP-Total and X-WP-TotalPages, 400 past the last page, 401 for held, spam or trashed comments without credentials,
/// <c>/types</c>, and <c>POST comments/{id}</c> with <c>status</c>; the status a comment already has answers 500
/// rest_comment_failed_edit, as WordPress's status-only branch does — WordPress 6.1 from Debian answered 200 there in
/// our run, so the fake takes the harder case), on Kestrel on 127.0.0.1 with a free port, with faults a test can
/// queue: errors, answers that never come, broken JSON, and a site that is down altogether.
/// </summary>
public sealed class FakeWordPress : IAsyncDisposable
{
    public sealed record Comment(long Id, long Post, DateTime DateGmt, string Html, long Parent = 0, string AuthorName = "Reader", string Status = "approved");

    public sealed record Post(long Id, string TitleHtml, string ContentHtml, string Type = "post");

    /// <summary>Post types as <c>/wp/v2/types</c> lists them (slug → REST base); a test may add one.</summary>
    public Dictionary<string, string> Types { get; } = new() { ["post"] = "posts", ["page"] = "pages", ["attachment"] = "media", ["wp_block"] = "blocks" };

    /// <summary>Types whose items the REST API will not show (a custom type registered without <c>show_in_rest</c>, say): 404.</summary>
    public HashSet<string> HiddenTypes { get; } = [];

    /// <summary>False: comments come without <c>_links.up</c> (as from a plugin that strips links), so the post type is unknown.</summary>
    public bool LinkPostTypes { get; set; } = true;

    /// <summary>While true every request is answered 503, as a site whose database is down.</summary>
    public bool Down { get; set; }

    /// <summary>Every <c>POST comments/{id}</c> the site accepted, in order: (comment id, status asked for).</summary>
    public List<(long Id, string Status)> StatusWrites { get; } = [];

    /// <summary>Requests for a post by id, under any REST base.</summary>
    public List<string> PostRequests { get; } = [];

    public enum Fault { ServerError, Unavailable, TooManyRequests, Slow, MalformedJson }

    readonly object gate = new();
    readonly List<Comment> comments = [];
    readonly Dictionary<long, Post> posts = [];
    readonly List<(int Page, Fault Fault)> faults = [];
    readonly WebApplication app;

    FakeWordPress(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>When set, held comments (<c>status=all</c>) need these Basic credentials; wrong ones get 401.</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>Called before a comments page is answered (after faults): a test adds comments "between pages" here.</summary>
    public Action<int>? BeforePage { get; set; }

    public List<string> CommentQueries { get; } = [];
    public Dictionary<long, int> PostFetches { get; } = [];

    /// <summary>Runs when a post is asked for, before the answer: what the connector stored before it asked.</summary>
    public Action<long>? BeforePost { get; set; }

    public static async Task<FakeWordPress> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWordPress(app);
        app.Use(async (http, next) =>
        {
            if (fake.Down) await Error(http, 503, "db_connect_fail", "Error establishing a database connection");
            else await next(http);
        });
        app.MapGet("/wp-json/wp/v2/comments", fake.CommentsAsync);
        app.MapGet("/wp-json/wp/v2/comments/{id:long}", fake.CommentAsync);
        app.MapPost("/wp-json/wp/v2/comments/{id:long}", fake.SetStatusAsync);
        app.MapGet("/wp-json/wp/v2/types", fake.TypesAsync);
        app.MapGet("/wp-json/wp/v2/{restBase}/{id:long}", fake.PostAsync);
        await app.StartAsync();
        fake.Url = new Uri(app.Urls.First());
        return fake;
    }

    public void AddPost(long id, string title, string contentHtml, string type = "post") { lock (gate) posts[id] = new Post(id, title, contentHtml, type); }

    /// <summary>The site's own moderation: an editor approves, holds, trashes or spams a comment in wp-admin.</summary>
    public void SetStatus(long id, string status)
    {
        lock (gate)
        {
            var i = comments.FindIndex(c => c.Id == id);
            comments[i] = comments[i] with { Status = status };
        }
    }

    public string StatusOf(long id) { lock (gate) return comments.Single(c => c.Id == id).Status; }

    public void Add(params Comment[] added) { lock (gate) comments.AddRange(added); }

    /// <summary>Changes a comment's text, as an author's or editor's edit does (its date stays).</summary>
    public void Edit(long id, string html)
    {
        lock (gate)
        {
            var i = comments.FindIndex(c => c.Id == id);
            comments[i] = comments[i] with { Html = html };
        }
    }

    /// <summary>The next request for <paramref name="page"/> of comments (0: any page) answers with <paramref name="fault"/>.</summary>
    public void FailNext(Fault fault, int page = 0, int times = 1)
    {
        lock (gate) for (var i = 0; i < times; i++) faults.Add((page, fault));
    }

    public void ClearFaults() { lock (gate) faults.Clear(); }

    async Task CommentsAsync(HttpContext http)
    {
        var q = http.Request.Query;
        var page = int.Parse(q["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
        var perPage = int.Parse(q["per_page"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
        Fault? fault = null;
        lock (gate)
        {
            CommentQueries.Add(http.Request.QueryString.Value ?? "");
            var i = faults.FindIndex(f => f.Page == 0 || f.Page == page);
            if (i >= 0) { fault = faults[i].Fault; faults.RemoveAt(i); }
        }
        if (fault is { } f && await FaultAsync(http, f)) return;
        BeforePage?.Invoke(page);

        if (perPage is < 1 or > 100) { await Error(http, 400, "rest_invalid_param", "Invalid parameter(s): per_page"); return; }
        var status = q["status"].FirstOrDefault() ?? "approve";
        if (status != "approve" && !Authorized(http)) { await Error(http, 401, "rest_forbidden_param", "Query parameter not permitted: status"); return; }
        List<Comment> matching;
        lock (gate)
        {
            // WordPress's "all" is approved and held; spam and trash are listed only when asked for by name.
            IEnumerable<Comment> all = comments.Where(c => status == "all" ? c.Status is "approved" or "hold" : c.Status == (status == "approve" ? "approved" : status));
            // `after` is exclusive and has whole seconds, as WordPress's date_query is.
            if (q["after"].FirstOrDefault() is { } after)
                all = all.Where(c => c.DateGmt > DateTime.Parse(after, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
            matching = all.OrderBy(c => c.DateGmt).ThenBy(c => c.Id).ToList();
        }
        var totalPages = (matching.Count + perPage - 1) / perPage;
        if (page > Math.Max(totalPages, 1)) { await Error(http, 400, "rest_comment_invalid_page_number", "The page number requested is larger than the number of pages available."); return; }
        http.Response.Headers["X-WP-Total"] = matching.Count.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-WP-TotalPages"] = totalPages.ToString(CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(matching.Skip((page - 1) * perPage).Take(perPage).Select(ToJson));
    }

    object ToJson(Comment c) => new Dictionary<string, object?>
    {
        ["_links"] = LinkPostTypes && posts.GetValueOrDefault(c.Post) is { } p
            ? new { up = new[] { new { embeddable = true, post_type = p.Type, href = $"{Url}wp-json/wp/v2/{Types[p.Type]}/{p.Id}" } } }
            : new { up = Array.Empty<object>() },
        ["id"] = c.Id, ["post"] = c.Post, ["parent"] = c.Parent, ["author"] = 0, ["author_name"] = c.AuthorName, ["author_url"] = "",
        ["date"] = c.DateGmt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        ["date_gmt"] = c.DateGmt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        ["content"] = new { rendered = c.Html }, ["link"] = $"{Url}?p={c.Post}#comment-{c.Id}", ["status"] = c.Status, ["type"] = "comment",
        ["author_avatar_urls"] = new Dictionary<string, string> { ["24"] = "https://secure.gravatar.com/avatar/x?s=24" }, ["meta"] = Array.Empty<object>(),
    };

    async Task PostAsync(HttpContext http, string restBase, long id)
    {
        BeforePost?.Invoke(id);
        Post? post;
        lock (gate)
        {
            PostFetches[id] = PostFetches.GetValueOrDefault(id) + 1;
            PostRequests.Add($"{restBase}/{id}");
            post = posts.GetValueOrDefault(id);
        }
        // Each REST base serves its own type only: a page asked for under /posts is "invalid post ID", as in WordPress.
        if (post is null || Types.GetValueOrDefault(post.Type) != restBase || HiddenTypes.Contains(post.Type))
        {
            await Error(http, 404, "rest_post_invalid_id", "Invalid post ID.");
            return;
        }
        await http.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["id"] = post.Id, ["date_gmt"] = "2026-11-20T08:00:00", ["modified_gmt"] = "2026-11-20T08:00:00", ["slug"] = $"post-{post.Id}",
            ["status"] = "publish", ["type"] = post.Type, ["link"] = $"{Url}{post.Id}/", ["title"] = new { rendered = post.TitleHtml },
            ["content"] = new { rendered = post.ContentHtml, @protected = false }, ["excerpt"] = new { rendered = "", @protected = false },
        });
    }

    async Task TypesAsync(HttpContext http) =>
        await http.Response.WriteAsJsonAsync(Types.ToDictionary(t => t.Key, t => new { slug = t.Key, name = t.Key, rest_base = t.Value, rest_namespace = "wp/v2" }));

    async Task CommentAsync(HttpContext http, long id)
    {
        Comment? comment;
        lock (gate) comment = comments.FirstOrDefault(c => c.Id == id);
        if (comment is null) { await Error(http, 404, "rest_comment_invalid_id", "Invalid comment ID."); return; }
        if (comment.Status != "approved" && !Authorized(http, required: true)) { await Error(http, 401, "rest_forbidden", "Sorry, you are not allowed to edit this comment."); return; }
        await http.Response.WriteAsJsonAsync(ToJson(comment));
    }

    /// <summary>
    /// <c>POST comments/{id}</c> with only <c>status</c>, as WP_REST_Comments_Controller::update_item's status-only branch:
    /// handle_status_param returns false for the status the comment already has, a failed edit (500 rest_comment_failed_edit).
    /// </summary>
    async Task SetStatusAsync(HttpContext http, long id)
    {
        if (!Authorized(http, required: true)) { await Error(http, 401, "rest_cannot_edit", "Sorry, you are not allowed to edit this comment."); return; }
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        var asked = body.TryGetProperty("status", out var s) ? s.GetString() : null;
        var status = asked switch { "approved" or "approve" or "1" => "approved", "hold" or "0" => "hold", "spam" => "spam", "trash" => "trash", _ => null };
        Comment? comment;
        lock (gate)
        {
            var i = comments.FindIndex(c => c.Id == id);
            comment = i < 0 ? null : comments[i];
            if (comment is not null && status is not null && comment.Status != status)
            {
                comments[i] = comment = comment with { Status = status };
                StatusWrites.Add((id, asked!));
                status = "changed";
            }
        }
        if (comment is null) { await Error(http, 404, "rest_comment_invalid_id", "Invalid comment ID."); return; }
        if (status != "changed") { await Error(http, 500, "rest_comment_failed_edit", "Updating comment status failed."); return; }
        await http.Response.WriteAsJsonAsync(ToJson(comment));
    }

    /// <summary>Answers with the fault; false when the request should go on (never, today).</summary>
    static async Task<bool> FaultAsync(HttpContext http, Fault fault)
    {
        switch (fault)
        {
            case Fault.Slow:
                // An answer that never comes: the connector's attempt time-out has to give up on it.
                try { await Task.Delay(Timeout.Infinite, http.RequestAborted); } catch (OperationCanceledException) { }
                return true;
            case Fault.MalformedJson:
                http.Response.ContentType = "application/json; charset=UTF-8";
                await http.Response.WriteAsync("<br />\n<b>Warning</b>: Undefined array key \"x\" in <b>/var/www/wp-content/plugins/p.php</b><br />\n[{\"id\":1,\"post\":");
                return true;
            case Fault.TooManyRequests:
                http.Response.Headers.RetryAfter = "0";
                await Error(http, 429, "too_many_requests", "Slow down.");
                return true;
            default:
                await Error(http, fault == Fault.Unavailable ? 503 : 500, "internal_server_error", "There has been a critical error on this website.");
                return true;
        }
    }

    /// <param name="required">Editing needs a user: without <see cref="Credentials"/> set, any Basic credentials do.</param>
    bool Authorized(HttpContext http, bool required = false)
    {
        if (Credentials is not { } c) return !required || http.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.Ordinal);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}"));
        return http.Request.Headers.Authorization.ToString() == expected;
    }

    static async Task Error(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { code, message, data = new { status } });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
