using System.Net;
using System.Net.Http.Json;
using System.Text;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>DELETE /api/authors/{authorId} and DELETE /api/reporters/{reporterId}: a person's data gone from every table and (SQLite) from the file.</summary>
public sealed class ErasureTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    const string Name = "Quentin Xylophone-Marsh";
    const string First = "Zanzibarquokka lanes are a damn waste of the council's money, says this reader.";
    const string Decided = "Vorpalbandersnatch thinks the shop owners are idiots about parking.";
    const string Edited = "Vorpalbandersnatch edited: the shop owners have a point about parking after all.";
    const string ReportDetails = "Plumquixotic details a reporter typed in.";

    async Task<HttpResponseMessage> Post(string commentId, string text, string authorId, string? authorName = Name) =>
        await app.Client().PostAsJsonAsync("/api/articles/a1/comments", new { commentId, text, authorId, authorName });

    async Task SeedAsync()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        Assert.Equal(HttpStatusCode.Accepted, (await Post("c1", First, "auth-42")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post("c2", Decided, "auth-42")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post("c3", "Main Street needs the lanes; construction in March is fine.", "other-1", "Olive Other")).StatusCode);
        foreach (var id in new[] { "c1", "c2", "c3" }) await client.WaitScored(id);
        Assert.Equal(HttpStatusCode.Accepted, (await app.Reader("203.0.113.9").PostAsJsonAsync("/api/comments/c1/reports",
            new { reason = "abusive", reporterId = "rep-7", details = ReportDetails })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.Reader("203.0.113.9").PostAsJsonAsync("/api/comments/c3/reports",
            new { reason = "spam", reporterId = "rep-7", details = ReportDetails + " again" })).StatusCode);
        var decision = await client.PostAsJsonAsync("/api/queue/c2/decision", new { action = "reject", note = "Quoting: " + Decided });
        Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Post("c2", Edited, "auth-42")).StatusCode);   // keeps the decided text (migration 009)
        await client.WaitScored("c2");
    }

    static readonly string[] AuthorSecrets = [Name, First, Decided, Edited, "Zanzibarquokka", "Vorpalbandersnatch"];

    /// <summary>Erases auth-42 (with VACUUM) and checks what the API shows afterwards.</summary>
    async Task EraseAuthorAndCheckTheApiAsync()
    {
        var response = await app.Client().DeleteAsync("/api/authors/auth-42?vacuum=true");
        var body = await response.Json();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("comments").GetInt32());
        Assert.Equal(1, body.GetProperty("reportsOnThem").GetInt32());
        Assert.Equal(1, body.GetProperty("editedTexts").GetInt32());
        Assert.True(body.GetProperty("logTruncated").GetBoolean());

        var client = app.Client();
        await (await client.GetAsync("/api/comments/c1")).AssertProblem(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/comments/c2")).AssertProblem(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/authors/auth-42")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal("Olive Other", (await client.GetJson("/api/comments/c3")).GetProperty("authorName").GetString());
        var queue = await client.GetJson("/api/queue?state=decided");
        Assert.DoesNotContain("c2", queue.ToString());
    }

    [Fact]
    public async Task Erasing_an_author_removes_their_texts_and_name_from_the_api_and_from_every_table()
    {
        await SeedAsync();
        Assert.Equal(AuthorSecrets, await StoreContents.FoundInTablesAsync(app, AuthorSecrets));   // the scan can fail: every text is stored now

        await EraseAuthorAndCheckTheApiAsync();
        Assert.Empty(await StoreContents.FoundInTablesAsync(app, AuthorSecrets));
    }

    [SqliteFact]
    public async Task Erasing_an_author_removes_their_texts_and_name_from_the_database_file_and_its_log()
    {
        await SeedAsync();
        Assert.Contains(Name, FoundIn(app.DatabasePath, AuthorSecrets));   // the scan can fail: the data is in the files now

        await EraseAuthorAndCheckTheApiAsync();
        // secure_delete zeroes what the erasure frees; the row as it was before c2's edit (name, decided text) stays a fragment
        // inside a page until VACUUM (?vacuum=true) rebuilds the file, and the log is truncated after it.
        Assert.Empty(FoundIn(app.DatabasePath, AuthorSecrets));
    }

    [Fact]
    public async Task Erasure_is_idempotent_leaves_one_audit_entry_that_names_nobody_and_a_resent_comment_is_new()
    {
        await SeedAsync();
        var client = app.Client();
        Assert.Equal(2, (await (await client.DeleteAsync("/api/authors/auth-42")).Json()).GetProperty("comments").GetInt32());
        var again = await client.DeleteAsync("/api/authors/auth-42");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, (await again.Json()).GetProperty("comments").GetInt32());

        var audit = (await client.GetJson("/api/audit?limit=500")).GetProperty("items").EnumerateArray().ToList();
        var erasures = audit.Where(e => e.GetProperty("action").GetString() == "erased").ToList();
        Assert.Single(erasures);
        Assert.DoesNotContain("auth-42", erasures[0].ToString());
        Assert.Equal("author", erasures[0].GetProperty("detail").GetProperty("subject").GetString());
        // The decision stays in the audit trail, without its note (which quoted the text).
        var rejection = audit.Single(e => e.GetProperty("action").GetString() == "reject");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rejection.GetProperty("detail").ValueKind);

        Assert.Equal(HttpStatusCode.Accepted, (await Post("c1", "A new comment under an old id.", "auth-42", "Someone")).StatusCode);
        var comment = await client.WaitScored("c1");
        Assert.Equal("A new comment under an old id.", comment.GetProperty("text").GetString());
        Assert.Equal(0, comment.GetProperty("reports").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_reporter_keeps_their_reports_counted_but_drops_their_id_and_details()
    {
        await SeedAsync();
        Assert.Equal([ReportDetails, "rep-7"], await StoreContents.FoundInTablesAsync(app, ReportDetails, "rep-7"));
        var client = app.Client();
        var response = await client.DeleteAsync("/api/reporters/rep-7");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Json()).GetProperty("reports").GetInt32());
        Assert.Equal(1, (await client.GetJson("/api/comments/c3")).GetProperty("reports").GetProperty("count").GetInt32());
        Assert.Empty(await StoreContents.FoundInTablesAsync(app, ReportDetails, "rep-7"));
        // Never edited: nothing left behind in the SQLite file even without VACUUM (PostgreSQL keeps its own files).
        if (!TestStores.OnPostgres) Assert.Empty(FoundIn(app.DatabasePath, [ReportDetails, "id:rep-7"]));

        Assert.Equal(0, (await (await client.DeleteAsync("/api/reporters/rep-7")).Json()).GetProperty("reports").GetInt32());
        var audit = (await client.GetJson("/api/audit?limit=500")).GetProperty("items").EnumerateArray();
        Assert.Single(audit, e => e.GetProperty("action").GetString() == "erased");
    }

    [Fact]
    public async Task Erasure_needs_the_admin_key_and_a_valid_id()
    {
        var moderator = app.Client(await app.KeyFor("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.DeleteAsync("/api/authors/auth-42")).StatusCode);
        await (await app.Client().DeleteAsync("/api/authors/" + new string('x', 129))).AssertProblem(HttpStatusCode.BadRequest);
    }

    /// <summary>Which of <paramref name="needles"/> occur, as UTF-8 bytes, in the database file or its write-ahead log.</summary>
    static List<string> FoundIn(string database, string[] needles)
    {
        var found = new List<string>();
        foreach (var file in new[] { database, database + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            found.AddRange(needles.Where(n => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(n)) >= 0));
        }
        return found.Distinct().ToList();
    }
}
