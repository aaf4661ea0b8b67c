using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// The report writer keeps each reported comment's report rows between reports (Storage/Reports/TallyCache.cs).
/// These change a reporter's record in every way a moderator or reader can, and check that the next report on a
/// comment weighs its reporters by their records as they are now, exactly as reading everything afresh would.
/// </summary>
public sealed class ReportTallyTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Reports:PerMinute"] = "100000" });
    public void Dispose() => app.Dispose();

    async Task<HttpClient> Published(params string[] ids)
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        foreach (var id in ids) await admin.PostComment("a1", id, "The bike lanes on Main Street should have been built years ago, says " + id);
        foreach (var id in ids) Assert.Equal("published", (await admin.WaitScored(id)).GetProperty("status").GetString());
        return admin;
    }

    /// <summary>Each named reporter from an address of its own (distinct readers); anonymous ones by address alone.</summary>
    /// <returns>Whether it counted (false: the same reader reported it before).</returns>
    async Task<bool> Report(string commentId, string? reporterId, int address = 0)
    {
        var from = app.Reader($"10.1.{address / 256}.{address % 256 + 1}");
        var response = await from.PostAsJsonAsync($"/api/comments/{commentId}/reports", new { reason = "abusive", reporterId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Json()).GetProperty("counted").GetBoolean();
    }

    static int Address(string reporterId) => reporterId.Aggregate(7, (h, c) => h * 31 + c) & 0xFFFF;

    Task<bool> Report(string commentId, string reporterId) => Report(commentId, reporterId, Address(reporterId));

    static async Task Decide(HttpClient admin, string commentId, string action)
    {
        var response = await admin.PostAsJsonAsync($"/api/queue/{commentId}/decision", new { action, force = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The weight the report writer stored with the queue entry (its reader_reports reason).</summary>
    static async Task<double> QueuedWeight(HttpClient admin, string commentId)
    {
        var items = (await admin.GetJson("/api/queue?reason=reader_reports&limit=200")).GetProperty("items").EnumerateArray();
        var item = items.Single(i => i.GetProperty("commentId").GetString() == commentId);
        var reason = item.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "reader_reports");
        return reason.GetProperty("detail").GetProperty("weight").GetDouble();
    }

    /// <summary>The weight read afresh from every report and record (GET /api/comments/{id}).</summary>
    static async Task<double> FreshWeight(HttpClient admin, string commentId) =>
        (await admin.GetJson($"/api/comments/{commentId}")).GetProperty("reports").GetProperty("weight").GetDouble();

    static async Task<string> Status(HttpClient admin, string commentId) =>
        (await admin.GetJson($"/api/comments/{commentId}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_moderator_approving_another_comment_lowers_its_reporter_on_the_next_report()
    {
        var admin = await Published("c1", "c2");
        await Report("c1", "alice");
        await Report("c2", "alice");
        await Report("c1", "bob");
        Assert.Equal(2.0, await QueuedWeight(admin, "c1"));

        // Alice's report on c2 is dismissed: she now weighs 2 × 1 / 3. Carol's report brings c1 to 2.667, short of 3.
        await Decide(admin, "c2", "approve");
        await Report("c1", "carol");
        Assert.Equal(2.667, await QueuedWeight(admin, "c1"));
        Assert.Equal("pending", await Status(admin, "c1"));
    }

    [Fact]
    public async Task A_report_on_a_comment_already_rejected_raises_that_reporter_on_the_next_report()
    {
        var admin = await Published("c1", "c2");
        await Decide(admin, "c2", "reject");
        await Report("c1", "alice");
        await Report("c1", "bob");
        Assert.Equal(2.0, await QueuedWeight(admin, "c1"));

        // Alice reports c2 after it was rejected: upheld, she now weighs 2 × 2 / 3 and c1 reaches 1.333 + 1 + 1.
        await Report("c2", "alice");
        await Report("c1", "carol");
        Assert.Equal(3.333, await QueuedWeight(admin, "c1"));
        Assert.Equal("hidden", await Status(admin, "c1"));
    }

    [Fact]
    public async Task An_undone_decision_gives_the_reporter_back_the_record_it_had()
    {
        var admin = await Published("c1", "c2");
        await Report("c2", "alice");
        await Decide(admin, "c2", "reject");
        await Report("c1", "alice");
        Assert.Equal(1.333, await QueuedWeight(admin, "c1"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/queue/c2/undo", null)).StatusCode);
        await Report("c1", "bob");
        Assert.Equal(2.0, await QueuedWeight(admin, "c1"));
    }

    /// <summary>
    /// A seeded walk of reports (named and anonymous, some sent together so they share a group), decisions, forced
    /// re-decisions and undos over a handful of comments and reporters: after each step, the weight the writer
    /// stored for every comment it just tallied equals the weight read afresh.
    /// </summary>
    [Fact]
    public async Task Over_a_random_walk_of_reports_and_decisions_the_stored_weight_is_always_the_fresh_one()
    {
        string[] comments = ["c1", "c2", "c3", "c4", "c5"];
        var admin = await Published(comments);
        var rng = new Random(20261125);
        var reporters = Enumerable.Range(0, 30).Select(i => $"reader{i}").ToArray();
        var decided = new List<string>();
        var checkedTallies = 0;
        var log = new List<string>();
        for (var step = 0; step < 80; step++)
        {
            var roll = rng.Next(10);
            if (roll < 2)
            {
                var id = comments[rng.Next(comments.Length)];
                await Decide(admin, id, rng.Next(2) == 0 ? "approve" : "reject");
                decided.Add(id);
                log.Add($"decide {id}");
                continue;
            }
            if (roll == 2 && decided.Count > 0)
            {
                // Within the undo window (10 s): reopens it, which also moves its reporters' records back.
                var id = decided[^1];
                decided.RemoveAt(decided.Count - 1);
                var undo = await admin.PostAsync($"/api/queue/{id}/undo", null);
                Assert.True(undo.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"undo {id}: {undo.StatusCode}");
                log.Add($"undo {id} {undo.StatusCode}");
                continue;
            }
            var statuses = new Dictionary<string, string>();
            foreach (var id in comments) statuses[id] = await Status(admin, id);
            var shown = comments.Where(id => statuses[id] is not ("approved" or "rejected")).ToArray();
            if (roll == 3 || shown.Length == 0)
            {
                // A report on a decided comment, alone: it is recorded and moves its reporter's record (reports sent
                // together with it could be tallied before or after it, so they are not sent alongside).
                var id = comments[rng.Next(comments.Length)];
                var reporter = reporters[rng.Next(reporters.Length)];
                await Report(id, reporter, rng.Next(40));
                log.Add($"report {id} ({statuses[id]}) by {reporter}");
                continue;
            }
            // 1–4 reports at once on shown comments: the writer takes concurrent ones in one group.
            var sends = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => (
                Comment: shown[rng.Next(shown.Length)],
                Reporter: rng.Next(5) == 0 ? null : reporters[rng.Next(reporters.Length)],
                Address: rng.Next(40))).ToList();
            var counted = await Task.WhenAll(sends.Select(s => Report(s.Comment, s.Reporter, s.Address)));
            log.Add("report " + string.Join(", ", sends.Zip(counted)));
            // A report that counted (not a reader's second) re-weighs the comment: the stored weight must be today's.
            foreach (var id in sends.Where((_, i) => counted[i]).Select(s => s.Comment).Distinct())
            {
                var (fresh, queued) = (await FreshWeight(admin, id), await QueuedWeight(admin, id));
                Assert.True(fresh == queued, $"{id}: weight afresh {fresh}, stored by the writer {queued}; steps:\n" + string.Join("\n", log));
                checkedTallies++;
            }
        }
        Assert.True(checkedTallies >= 20, $"only {checkedTallies} tallies compared: the walk did not exercise the writer");
    }
}
