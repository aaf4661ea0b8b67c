using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

public sealed class ReportTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    async Task<(HttpClient admin, HttpClient reader)> PublishedComment()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "The bike lanes on Main Street should have been built years ago.");
        Assert.Equal("published", (await admin.WaitScored("c1")).GetProperty("status").GetString());
        return (admin, app.Client(key: null));
    }

    /// <summary>Reporter rN reports from its own address 10.0.0.N (as distinct readers do).</summary>
    Task<HttpResponseMessage> Report(string reporterId, string reason = "spam") =>
        app.Reader("10.0.0." + reporterId.TrimStart('r')).PostAsJsonAsync("/api/comments/c1/reports", new { reason, reporterId });

    [Fact]
    public async Task Three_distinct_reporters_hide_a_comment_and_queue_it_with_reader_reports()
    {
        var (admin, reader) = await PublishedComment();
        Assert.Equal(HttpStatusCode.Accepted, (await Report("r1")).StatusCode);
        Assert.Equal("pending", (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString());
        await Report("r2", "abusive");
        await Report("r3");

        var comment = await admin.GetJson("/api/comments/c1");
        Assert.Equal("hidden", comment.GetProperty("status").GetString());
        Assert.Equal(3, comment.GetProperty("reports").GetProperty("count").GetInt32());
        Assert.Equal(2, comment.GetProperty("reports").GetProperty("byReason").GetProperty("spam").GetInt32());
        var item = Assert.Single((await admin.GetJson("/api/queue?reason=reader_reports")).GetProperty("items").EnumerateArray());
        Assert.Equal(3, item.GetProperty("reportCount").GetInt32());
        Assert.False((await reader.GetJson("/api/comments/c1/visibility")).GetProperty("visible").GetBoolean());
    }

    [Fact]
    public async Task The_same_reporter_three_times_counts_once()
    {
        var (admin, reader) = await PublishedComment();
        for (var i = 0; i < 3; i++) await Report("r1");
        var comment = await admin.GetJson("/api/comments/c1");
        Assert.Equal(1, comment.GetProperty("reports").GetProperty("count").GetInt32());
        Assert.Equal("pending", comment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reports_without_a_reporter_id_count_once_per_client_address()
    {
        var (admin, reader) = await PublishedComment();
        for (var i = 0; i < 4; i++) await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "offensive" });
        Assert.Equal(1, (await admin.GetJson("/api/comments/c1")).GetProperty("reports").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Reports_on_an_approved_comment_are_recorded_but_do_not_hide_it()
    {
        var (admin, reader) = await PublishedComment();
        await admin.PostAsJsonAsync("/api/queue/c1/decision", new { action = "approve" });
        foreach (var r in new[] { "r1", "r2", "r3", "r4" }) await Report(r);
        var comment = await admin.GetJson("/api/comments/c1");
        Assert.Equal("approved", comment.GetProperty("status").GetString());
        Assert.Equal(4, comment.GetProperty("reports").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_flood_of_reporter_ids_from_one_address_cannot_hide_a_comment()
    {
        var (admin, _) = await PublishedComment();
        var flood = app.Reader("203.0.113.7");
        for (var i = 0; i < 20; i++)
            await flood.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "abusive", reporterId = $"sock-{i}" });
        var comment = await admin.GetJson("/api/comments/c1");
        Assert.Equal(20, comment.GetProperty("reports").GetProperty("count").GetInt32());
        Assert.Equal(2.0, comment.GetProperty("reports").GetProperty("weight").GetDouble());   // capped per address
        Assert.Equal("pending", comment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reporters_with_a_good_record_hide_a_comment_sooner()
    {
        var (admin, _) = await PublishedComment();
        // r1 and r2 each reported two comments that moderators then rejected: upheld = 2 each.
        foreach (var id in new[] { "old1", "old2" })
        {
            await admin.PostComment("a1", id, "An earlier comment about " + id);
            await admin.WaitScored(id);
            foreach (var r in new[] { "r1", "r2" })
                await app.Reader("10.0.0." + r.TrimStart('r')).PostAsJsonAsync($"/api/comments/{id}/reports", new { reason = "abusive", reporterId = r });
            await admin.PostAsJsonAsync($"/api/queue/{id}/decision", new { action = "reject", reasonCode = "abusive" });
        }

        // Each now weighs 2 × (2 + 1) / (2 + 0 + 2) = 1.5; two of them reach the threshold of 3.
        await Report("r1");
        Assert.Equal("pending", (await admin.GetJson("/api/comments/c1")).GetProperty("status").GetString());
        await Report("r2");
        var comment = await admin.GetJson("/api/comments/c1");
        Assert.Equal(3.0, comment.GetProperty("reports").GetProperty("weight").GetDouble());
        Assert.Equal("hidden", comment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reporting_an_unknown_comment_is_404_and_an_unknown_reason_is_400()
    {
        var (_, reader) = await PublishedComment();
        await (await reader.PostAsJsonAsync("/api/comments/ghost/reports", new { reason = "spam" })).AssertProblem(HttpStatusCode.NotFound);
        await (await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "boring" })).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Too_many_reports_from_one_address_are_429()
    {
        using var limited = new TestApp(new() { ["Moderation:Reports:PerMinute"] = "3" });
        var admin = limited.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "Bike lanes are great");
        var reader = limited.Client(key: null);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = $"r{i}" })).StatusCode);
        var refused = await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = "r9" });
        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(3, (await admin.GetJson("/api/comments/c1")).GetProperty("reports").GetProperty("count").GetInt32());
    }
}
