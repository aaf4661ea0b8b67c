using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Xunit.Abstractions;

namespace Moderation.Reliability.Tests;

/// <summary>
/// SIGKILL in the middle of a backlog, restart on the same file: every comment ends scored exactly
/// once, no queue entry twice, no report or decision lost. Checked in the database itself.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper log) : IDisposable
{
    const string AdminKey = "reliability-admin-key-0123456789";
    const int Total = 300;
    const int FirstWave = 100;

    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    string Database => folder.File("moderation.db");

    Dictionary<string, string> Settings => new()
    {
        ["Moderation:Database"] = Database,
        ["Moderation:Auth:AdminKey"] = AdminKey,
        ["Moderation:Relevance:Embeddings"] = "false",
        ["Moderation:Worker:BatchSize"] = "8",
        // A dead worker's lease runs out quickly, so the restarted worker takes its batch over within the test.
        ["Moderation:Worker:Lease"] = "00:00:02",
        ["Moderation:Worker:PollInterval"] = "00:00:00.200",
        ["Moderation:Reports:PerMinute"] = "100000",
    };

    static readonly string[] Articles = ["bike-lanes", "school-budget", "river-park"];

    static readonly string[] Titles =
    [
        "Council approves protected bike lanes on Main Street",
        "School board cuts the music budget by a third",
        "New riverside park opens with a playground and a cafe",
    ];

    static readonly string[] Bodies =
    [
        "The city council voted 7-2 on Tuesday to build protected bike lanes along Main Street. Cyclists welcomed the decision, while some shop owners worry about losing parking in front of their stores. Construction starts in March and should take four months.",
        "The school board voted to cut the music programme budget by a third next year. Parents and teachers protested at the meeting, saying band and choir keep many students engaged. The board says rising heating costs left no other choice.",
        "The riverside park opened on Saturday after two years of work. It has a playground, a cafe, a walking path along the water and a small stage for summer concerts. The city plans to add a boat rental next spring.",
    ];

    /// <summary>A deterministic mix: on-topic, rude, profane, off-topic rants.</summary>
    static (string ArticleId, string CommentId, string Text) Comment(int i)
    {
        var random = new Random(1000 + i);
        var article = i % Articles.Length;
        string[] kinds =
        [
            "I think this is a sensible decision for the neighbourhood and I am glad the council listened.",
            "What a f*cking waste of money, the people behind this are a bunch of sh1t clowns.",
            "This is stupid and whoever wrote it should be ashamed, honestly.",
            "Nice article. Anyway, the real scandal is the price of petrol and how the energy companies get away with it. My bill went up again and nobody in government cares. They should nationalise the lot and stop the bonuses. My neighbour agrees and so does everyone at my gym.",
            "Finally some good news. My kids will love this and we will be there every weekend.",
        ];
        return (Articles[article], $"c{i:D4}", $"{kinds[random.Next(kinds.Length)]} (reader {i})");
    }

    sealed record ReportSent(string CommentId, string ReporterId, string Reason);

    sealed record DecisionMade(string CommentId, string Action);

    [Fact]
    public async Task Sigkill_in_the_middle_of_a_backlog_loses_nothing_and_scores_nothing_twice()
    {
        var clock = Stopwatch.StartNew();
        var attemptedReports = new ConcurrentDictionary<(string, string), ReportSent>();
        var acceptedReports = new ConcurrentBag<ReportSent>();
        var decisions = new ConcurrentBag<DecisionMade>();
        var acceptedComments = new ConcurrentBag<string>();

        // Run 1: a first wave, scored; reports and decisions on it.
        var first = ServiceProcess.Start(folder.Path, Settings);
        try
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(20));
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: first start healthy (pid {first.ProcessId})");
            using var client = first.Client(AdminKey);
            for (var a = 0; a < Articles.Length; a++)
            {
                var put = await client.PutAsJsonAsync($"/api/articles/{Articles[a]}", new { title = Titles[a], body = Bodies[a] });
                Assert.True(put.IsSuccessStatusCode, $"PUT article: {(int)put.StatusCode}");
            }
            await Parallel.ForEachAsync(Enumerable.Range(0, FirstWave), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var (articleId, commentId, text) = Comment(i);
                var response = await client.PostAsJsonAsync($"/api/articles/{articleId}/comments", new { commentId, text, authorId = $"author-{i % 17}" }, ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                acceptedComments.Add(commentId);
            });
            await WaitUntil(() => Db.Scalar(Database, "SELECT count(*) FROM comments WHERE status = 'received'") == 0, "the first wave is scored");
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: first wave of {FirstWave} scored");

            using var reader = first.Client(key: null);
            // Reports on scored comments 0..29 (two or three readers each), decisions on 30..39.
            for (var i = 0; i < 30; i++)
                for (var r = 0; r < 2 + i % 2; r++)
                    await SendReport(reader, new ReportSent($"c{i:D4}", $"reader-{r}", r == 0 ? "spam" : "abusive"), attemptedReports, acceptedReports);
            for (var i = 30; i < 40; i++)
                await Decide(client, $"c{i:D4}", i % 2 == 0 ? "approve" : "reject", decisions);
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: {acceptedReports.Count} reports and {decisions.Count} decisions before the backlog");

            // The backlog: the second wave goes in while the worker scores it, with reports and decisions alongside.
            var ingest = Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(FirstWave, Total - FirstWave), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var (articleId, commentId, text) = Comment(i);
                try
                {
                    var response = await client.PostAsJsonAsync($"/api/articles/{articleId}/comments", new { commentId, text, authorId = $"author-{i % 17}" }, ct);
                    if (response.StatusCode == HttpStatusCode.Accepted) acceptedComments.Add(commentId);
                    // Reports on fresh comments are recorded before they are scored; the worker counts them when it scores.
                    if (i % 10 == 0)
                        await SendReport(reader, new ReportSent(commentId, "reader-9", "offensive"), attemptedReports, acceptedReports);
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            }));
            var sideline = Task.Run(async () =>
            {
                for (var i = 40; i < 50; i++)
                {
                    try
                    {
                        await Decide(client, $"c{i:D4}", "reject", decisions);
                        await SendReport(reader, new ReportSent($"c{i + 10:D4}", "reader-5", "spam"), attemptedReports, acceptedReports);
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                }
            });

            // Kill once the worker is well into the second wave and the backlog is not done.
            await WaitUntil(() =>
            {
                using var c = Db.OpenReadOnly(Database);
                var scoredSecondWave = c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status <> 'received' AND comment_id >= @from", new { from = $"c{FirstWave:D4}" });
                return scoredSecondWave >= 20;
            }, "the worker scores part of the backlog", TimeSpan.FromSeconds(20));
            var ingestDone = ingest.IsCompleted;
            first.Kill();
            var (left, total) = Counts();
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: SIGKILL with {left} of {total} stored comments unscored (ingest finished: {ingestDone})");
            Assert.True(!ingestDone || left > 0, "the kill came after the backlog was done: nothing was interrupted");
            await Task.WhenAll(ingest, sideline);
        }
        finally
        {
            first.Dispose();
        }

        // Run 2: same file. The site's comment system resends everything (it cannot know what got in), readers resend their reports.
        using var second = ServiceProcess.Start(folder.Path, Settings);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        log.WriteLine($"{clock.ElapsedMilliseconds} ms: restarted (pid {second.ProcessId})");
        using (var client = second.Client(AdminKey))
        using (var reader = second.Client(key: null))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Total), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var (articleId, commentId, text) = Comment(i);
                var response = await client.PostAsJsonAsync($"/api/articles/{articleId}/comments", new { commentId, text, authorId = $"author-{i % 17}" }, ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            });
            foreach (var report in attemptedReports.Values.ToList())
            {
                var response = await reader.PostAsJsonAsync($"/api/comments/{report.CommentId}/reports", new { reason = report.Reason, reporterId = report.ReporterId });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }
        await WaitUntil(() => Db.Scalar(Database, "SELECT count(*) FROM comments WHERE status = 'received'") == 0, "the restarted worker clears the backlog");
        log.WriteLine($"{clock.ElapsedMilliseconds} ms: backlog cleared after restart");
        second.Kill();

        AssertDatabase(acceptedComments, attemptedReports.Values.ToList(), acceptedReports.ToList(), decisions.ToList());
        log.WriteLine($"{clock.ElapsedMilliseconds} ms: database checked");
    }

    (long Received, long Total) Counts()
    {
        using var c = Db.OpenReadOnly(Database);
        return (c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status = 'received'"), c.ExecuteScalar<long>("SELECT count(*) FROM comments"));
    }

    static async Task SendReport(HttpClient reader, ReportSent report, ConcurrentDictionary<(string, string), ReportSent> attempted, ConcurrentBag<ReportSent> accepted)
    {
        attempted[(report.CommentId, report.ReporterId)] = report;
        var response = await reader.PostAsJsonAsync($"/api/comments/{report.CommentId}/reports", new { reason = report.Reason, reporterId = report.ReporterId });
        if (response.StatusCode == HttpStatusCode.Accepted) accepted.Add(report);
        else Assert.Fail($"report on {report.CommentId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    static async Task Decide(HttpClient client, string commentId, string action, ConcurrentBag<DecisionMade> decisions)
    {
        var response = await client.PostAsJsonAsync($"/api/queue/{commentId}/decision", new { action, reasonCode = action == "reject" ? "abusive" : null });
        if (response.StatusCode == HttpStatusCode.OK) decisions.Add(new DecisionMade(commentId, action));
        else Assert.Fail($"decision on {commentId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    void AssertDatabase(IEnumerable<string> acceptedComments, IReadOnlyList<ReportSent> attemptedReports, IReadOnlyList<ReportSent> acceptedReports,
        IReadOnlyList<DecisionMade> decisions)
    {
        using var c = Db.OpenReadOnly(Database);
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));

        // Every comment is stored once and scored once, for its current text.
        var ids = c.Query<string>("SELECT comment_id FROM comments").ToHashSet();
        Assert.Equal(Enumerable.Range(0, Total).Select(i => $"c{i:D4}").ToHashSet(), ids);
        Assert.Subset(ids, acceptedComments.ToHashSet());
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status = 'received'"));
        Assert.Empty(c.Query<string>("""
            SELECT c.comment_id FROM comments c LEFT JOIN scores s ON s.comment_id = c.comment_id
            WHERE s.comment_id IS NULL OR s.text_version <> c.text_version
            """));
        Assert.Equal(Total, c.ExecuteScalar<long>("SELECT count(*) FROM scores"));
        // The audit trail says 'scored' exactly once per comment (no edits here, so once per text version) and 'received' once.
        Assert.Empty(c.Query<(string, long)>("""
            SELECT c.comment_id, (SELECT count(*) FROM audit a WHERE a.comment_id = c.comment_id AND a.action = 'scored') AS n
            FROM comments c WHERE n <> 1
            """));
        Assert.Empty(c.Query<(string, long)>("""
            SELECT c.comment_id, (SELECT count(*) FROM audit a WHERE a.comment_id = c.comment_id AND a.action = 'received') AS n
            FROM comments c WHERE n <> 1
            """));

        // Reports: every one accepted before the kill is there; resending made none twice.
        var stored = c.Query<(string CommentId, string ReporterKey)>("SELECT comment_id, reporter_key FROM reports").ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var storedSet = stored.ToHashSet();
        foreach (var r in acceptedReports) Assert.Contains((r.CommentId, "id:" + r.ReporterId), storedSet);
        Assert.Equal(attemptedReports.Select(r => (r.CommentId, "id:" + r.ReporterId)).ToHashSet(), storedSet);
        // A reported comment is never simply published: it is queued, hidden or decided.
        Assert.Empty(c.Query<string>("SELECT DISTINCT r.comment_id FROM reports r JOIN comments c ON c.comment_id = r.comment_id WHERE c.status = 'published'"));

        // Decisions: every one answered 200 stands, recorded once.
        foreach (var d in decisions)
        {
            var row = c.QuerySingle<(string State, string Action, string Status)>("""
                SELECT q.state, q.action, c.status FROM queue q JOIN comments c ON c.comment_id = q.comment_id WHERE q.comment_id = @CommentId
                """, d);
            Assert.Equal(("decided", d.Action, d.Action == "approve" ? "approved" : "rejected"), row);
            Assert.Equal(1, c.ExecuteScalar<long>("SELECT count(*) FROM audit WHERE comment_id = @CommentId AND action IN ('approve', 'reject')", d));
        }

        // Queue and statuses agree (the queue is keyed by comment, so 'no entry twice' means no entry in the wrong state).
        Assert.Empty(c.Query<string>("""
            SELECT c.comment_id FROM comments c LEFT JOIN queue q ON q.comment_id = c.comment_id
            WHERE (c.status IN ('pending', 'hidden') AND (q.state IS NULL OR q.state <> 'pending'))
               OR (c.status IN ('approved', 'rejected') AND (q.state IS NULL OR q.state <> 'decided'))
               OR (c.status = 'published' AND q.comment_id IS NOT NULL)
            """));
        Assert.Empty(c.Query<string>("SELECT q.comment_id FROM queue q LEFT JOIN comments c ON c.comment_id = q.comment_id WHERE c.comment_id IS NULL"));
        Assert.True(c.ExecuteScalar<long>("SELECT count(*) FROM queue WHERE state = 'pending'") > 0, "the mix should queue some comments");
    }

    static async Task WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }
}
