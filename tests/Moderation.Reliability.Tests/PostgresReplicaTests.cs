using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Moderation.Tests;
using Xunit.Abstractions;

namespace Moderation.Reliability.Tests;

/// <summary>
/// Replicas on one PostgreSQL database behind no proxy: what one is told, the other knows. Reports and decisions sent
/// to different replicas agree (the second decider gets 409 wherever it asks), and a comment posted to an API-only
/// replica wakes the worker in another process through LISTEN/NOTIFY, not its poll.
/// </summary>
public sealed class PostgresReplicaTests(ITestOutputHelper log) : IDisposable
{
    const string ArticleId = "bike-lanes";

    readonly PostgresCluster cluster = new();
    public void Dispose() => cluster.Dispose();

    static async Task PutArticle(HttpClient client)
    {
        var put = await client.PutAsJsonAsync($"/api/articles/{ArticleId}", new
        {
            title = "Council approves protected bike lanes on Main Street",
            body = "The city council voted 7-2 on Tuesday to build protected bike lanes along Main Street. Cyclists welcomed the decision, while some shop owners worry about losing parking.",
        });
        Assert.True(put.IsSuccessStatusCode, $"PUT article: {(int)put.StatusCode}");
    }

    static async Task PostComment(HttpClient client, string commentId, string text)
    {
        var response = await client.PostAsJsonAsync($"/api/articles/{ArticleId}/comments", new { commentId, text });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>A moderator key made by the admin; returns its id (the actor decisions are recorded under) and the key.</summary>
    static async Task<(string KeyId, string Key)> CreateModerator(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/keys", new { name, role = "moderator" });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/keys: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>Status and report count as <c>GET /api/comments/{id}</c> on this replica answers them.</summary>
    static async Task<(string Status, int Reports)> Seen(HttpClient client, string commentId)
    {
        var details = await client.GetFromJsonAsync<JsonElement>($"/api/comments/{commentId}");
        return (details.GetProperty("status").GetString()!, details.GetProperty("reports").GetProperty("count").GetInt32());
    }

    static async Task<HttpResponseMessage> Decide(HttpClient moderator, string commentId, string action) =>
        await moderator.PostAsJsonAsync($"/api/queue/{commentId}/decision", new { action, reasonCode = action == "reject" ? "abusive" : null });

    static async Task<HttpResponseMessage> Report(HttpClient reader, string commentId, string? reporterId) =>
        await reader.PostAsJsonAsync($"/api/comments/{commentId}/reports", new { reason = "abusive", reporterId });

    [PostgresFact]
    public async Task A_report_to_one_replica_and_decisions_to_both_agree_with_409_for_the_second_decider()
    {
        var a = cluster.Start("a", new Dictionary<string, string> { ["Moderation:Worker:PollInterval"] = "00:00:00.200" });
        var b = cluster.Start("b", new Dictionary<string, string> { ["Moderation:Worker:Enabled"] = "false" });
        await Task.WhenAll(a.WaitHealthyAsync(TimeSpan.FromSeconds(60)), b.WaitHealthyAsync(TimeSpan.FromSeconds(60)));
        using var adminB = b.Client(PostgresCluster.AdminKey);
        await PutArticle(adminB);
        var (oneId, oneKey) = await CreateModerator(adminB, "moderator-one");
        var (twoId, twoKey) = await CreateModerator(adminB, "moderator-two");
        using HttpClient oneOnB = b.Client(oneKey), twoOnA = a.Client(twoKey), oneOnA = a.Client(oneKey), twoOnB = b.Client(twoKey);
        using HttpClient readerOnA = a.Client(key: null), readerOnB = b.Client(key: null);

        // Posted to B (no worker there), scored by A's worker.
        string[] ids = ["r-0", "r-1", "r-2", "r-3", "r-4", "r-5"];
        foreach (var id in ids) await PostComment(adminB, id, $"Protected lanes on Main Street will make my ride to work much safer ({id}).");
        await cluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM comments WHERE status = 'received'") == 0, "A's worker scores what B took in", TimeSpan.FromSeconds(30));

        // Sequential: reported through A, decided through B, decided again through A.
        Assert.Equal(HttpStatusCode.Accepted, (await Report(readerOnA, "r-0", "reader-1")).StatusCode);
        Assert.Equal(("pending", 1), await Seen(oneOnA, "r-0"));
        Assert.Equal(("pending", 1), await Seen(oneOnB, "r-0"));
        var first = await Decide(oneOnB, "r-0", "reject");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await Decide(twoOnA, "r-0", "approve");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(oneId, await second.Content.ReadAsStringAsync());
        Assert.Equal(("rejected", 1), await Seen(oneOnA, "r-0"));
        Assert.Equal(("rejected", 1), await Seen(twoOnB, "r-0"));
        AssertAudit("r-0", ("reject", oneId));

        // At once: both moderators decide the same comment through different replicas; exactly one wins.
        foreach (var id in ids.Skip(1))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Report(readerOnB, id, "reader-2")).StatusCode);
            var race = await Task.WhenAll(Decide(oneOnA, id, "approve"), Decide(twoOnB, id, "reject"));
            var codes = race.Select(r => r.StatusCode).ToArray();
            Assert.True(codes.Count(c => c == HttpStatusCode.OK) == 1 && codes.Count(c => c == HttpStatusCode.Conflict) == 1,
                $"{id}: decisions answered {string.Join(", ", codes)}\n{cluster.Output()}");
            var (action, winner, status) = codes[0] == HttpStatusCode.OK ? ("approve", oneId, "approved") : ("reject", twoId, "rejected");
            Assert.Equal((status, 1), await Seen(oneOnA, id));
            Assert.Equal((status, 1), await Seen(twoOnB, id));
            AssertAudit(id, (action, winner));
        }

        // The same reader without an id, through both replicas, counts once: the pseudonym of an address is the same in each.
        Assert.Equal(HttpStatusCode.Accepted, (await Report(readerOnA, "r-1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Report(readerOnB, "r-1", null)).StatusCode);
        Assert.Equal(2, (await Seen(oneOnB, "r-1")).Reports);   // reader-2 and this anonymous reader
        Assert.Equal(2, (await Seen(oneOnA, "r-1")).Reports);
    }

    /// <summary>
    /// One audit entry for each action on the comment: received, scored, reported (only if the report changed its status:
    /// a published comment becomes pending), and the one decision that stood, under its moderator's key.
    /// </summary>
    void AssertAudit(string commentId, (string Action, string Actor) decision)
    {
        using var c = cluster.Open();
        var entries = c.Query<(string Action, string Actor, string? After)>(
            "SELECT action, actor, status_after FROM audit WHERE comment_id = @commentId ORDER BY id", new { commentId }).ToList();
        var scoredAs = entries.Single(e => e.Action == "scored").After;
        var expected = new List<(string, string)> { ("received", "ingest"), ("scored", "worker") };
        if (scoredAs == "published") expected.Add(("reported", "reader"));
        expected.Add(decision);
        Assert.Equal(expected, entries.Select(e => (e.Action, e.Actor)));
    }

    /// <summary>
    /// Each replica's report writer keeps a reported comment's report rows between reports (Storage/Reports/TallyCache.cs)
    /// and trusts them while the database's report counter is where its own last group left it. A report stored by the
    /// other replica in between moves the counter (the writer's own bump since migration 014, not a trigger), so the
    /// next report reads the rows afresh: three readers through two replicas hide the comment (three are needed, one
    /// address weighs at most two; the readers come from three addresses through the trusted local proxy).
    /// </summary>
    [PostgresFact]
    public async Task Reports_on_one_comment_through_both_replicas_add_up_to_a_hide()
    {
        var proxy = new Dictionary<string, string> { ["Moderation:Network:KnownProxies:0"] = "127.0.0.1" };
        var a = cluster.Start("a", new Dictionary<string, string>(proxy) { ["Moderation:Worker:PollInterval"] = "00:00:00.200" });
        var b = cluster.Start("b", new Dictionary<string, string>(proxy) { ["Moderation:Worker:Enabled"] = "false" });
        await Task.WhenAll(a.WaitHealthyAsync(TimeSpan.FromSeconds(60)), b.WaitHealthyAsync(TimeSpan.FromSeconds(60)));
        using HttpClient admin = a.Client(PostgresCluster.AdminKey), adminOnB = b.Client(PostgresCluster.AdminKey);
        using HttpClient readerOnA = a.Client(key: null), readerOnB = b.Client(key: null);
        await PutArticle(admin);
        await PostComment(admin, "t-1", "Protected lanes on Main Street will make my ride to work much safer.");
        await cluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM comments WHERE comment_id = 't-1' AND status = 'published'") == 1,
            "t-1 is scored and shown", TimeSpan.FromSeconds(30));

        async Task ReportFrom(HttpClient reader, int n)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/comments/t-1/reports")
            {
                Content = JsonContent.Create(new { reason = "abusive", reporterId = $"reader-{n}" }),
            };
            request.Headers.Add("X-Forwarded-For", $"10.9.0.{n}");
            Assert.Equal(HttpStatusCode.Accepted, (await reader.SendAsync(request)).StatusCode);
        }
        await ReportFrom(readerOnA, 1);   // A reads the rows whole and keeps them
        Assert.Equal(("pending", 1), await Seen(admin, "t-1"));
        await ReportFrom(readerOnB, 2);
        Assert.Equal(("pending", 2), await Seen(admin, "t-1"));
        await ReportFrom(readerOnA, 3);   // A's rows lack reader-2 unless it noticed B's report
        Assert.Equal(("hidden", 3), await Seen(adminOnB, "t-1"));
        Assert.Equal(3, cluster.Scalar("SELECT report_count FROM queue WHERE comment_id = 't-1'"));
    }

    [PostgresFact]
    public async Task A_comment_posted_to_an_api_replica_wakes_the_worker_in_another_process_through_notify()
    {
        // The worker's poll is far longer than the test: only a notification can wake it in time.
        var worker = cluster.Start("worker", new Dictionary<string, string> { ["Moderation:Worker:PollInterval"] = "00:10:00" });
        var api = cluster.Start("api", new Dictionary<string, string> { ["Moderation:Worker:Enabled"] = "false" });
        await Task.WhenAll(worker.WaitHealthyAsync(TimeSpan.FromSeconds(60)), api.WaitHealthyAsync(TimeSpan.FromSeconds(60)));
        using var client = api.Client(PostgresCluster.AdminKey);
        await PutArticle(client);
        // The worker listens (its start-up drain, and the one wake-up on LISTEN, have passed).
        await cluster.WaitUntil(() => cluster.Scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN moderation_inbox'") == 1,
            "the worker replica listens on moderation_inbox", TimeSpan.FromSeconds(30));
        await Task.Delay(500);

        for (var i = 0; i < 3; i++)
        {
            var id = $"w-{i}";
            var clock = Stopwatch.StartNew();
            await PostComment(client, id, $"Good news for everyone who cycles to work ({id}).");
            await cluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM comments WHERE comment_id = @id AND status <> 'received'", new { id }) == 1,
                $"{id}, posted to the API replica, is scored by the worker replica", TimeSpan.FromSeconds(20));
            log.WriteLine($"{id} scored {clock.ElapsedMilliseconds} ms after it was posted");
        }

        // Control: without the trigger's notification the same post waits for the poll, so the promptness above was NOTIFY's.
        using (var c = cluster.Open()) c.Execute("ALTER TABLE comments DISABLE TRIGGER tr_inbox_notify_insert");
        await PostComment(client, "w-silent", "Good news for everyone who cycles to work (silent).");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, cluster.Scalar("SELECT count(*) FROM comments WHERE comment_id = 'w-silent' AND status <> 'received'"));
    }
}
