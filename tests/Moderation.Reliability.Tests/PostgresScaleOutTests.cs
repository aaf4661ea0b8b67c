using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Moderation.Tests;
using Xunit.Abstractions;

namespace Moderation.Reliability.Tests;

/// <summary>
/// Three service processes (API and worker each) on one PostgreSQL database score a 10,000-comment backlog; one is
/// killed with SIGKILL while it holds a batch. Every comment ends scored exactly once, the dead worker's batch is
/// scored by the others once its lease ran out, and the queue holds every flagged comment once. Checked in the database.
/// </summary>
public sealed class PostgresScaleOutTests(ITestOutputHelper log) : IDisposable
{
    const int Total = 10_000;
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    readonly PostgresCluster cluster = new();
    public void Dispose() => cluster.Dispose();

    static readonly (string Id, string Title, string Body)[] Articles =
    [
        ("bike-lanes", "Council approves protected bike lanes on Main Street",
            "The city council voted 7-2 on Tuesday to build protected bike lanes along Main Street. Cyclists welcomed the decision, while some shop owners worry about losing parking in front of their stores."),
        ("school-budget", "School board cuts the music budget by a third",
            "The school board voted to cut the music programme budget by a third next year. Parents and teachers protested at the meeting, saying band and choir keep many students engaged."),
        ("river-park", "New riverside park opens with a playground and a cafe",
            "The riverside park opened on Saturday after two years of work. It has a playground, a cafe, a walking path along the water and a small stage for summer concerts."),
        ("tram-fares", "Tram fares rise by ten percent in January",
            "The transport authority will raise tram fares by ten percent from January. It says the money pays for new trams and longer evening service; commuter groups call the rise unfair."),
    ];

    static readonly string[] Kinds =
    [
        "I think this is a sensible decision for the neighbourhood and I am glad the council listened.",
        "What a f*cking waste of money, the people behind this are a bunch of sh1t clowns.",
        "Finally some good news. My kids will love this and we will be there every weekend.",
        "Nice article. Anyway, the real scandal is the price of petrol and how the energy companies get away with it. My bill went up again and nobody in government cares. They should nationalise the lot and stop the bonuses. My neighbour agrees and so does everyone at my gym and at the pub on Fridays.",
        "This is stupid and whoever wrote it should be ashamed, honestly.",
    ];

    /// <summary>A deterministic mix of clean, profane and off-topic comments.</summary>
    static (string ArticleId, string CommentId, string Text) Comment(int i) =>
        (Articles[i % Articles.Length].Id, $"s{i:D5}", $"{Kinds[new Random(7000 + i).Next(Kinds.Length)]} (reader {i})");

    [PostgresFact]
    public async Task Three_workers_score_ten_thousand_comments_exactly_once_through_a_sigkill()
    {
        var clock = Stopwatch.StartNew();
        var worker = new Dictionary<string, string>
        {
            ["Moderation:Worker:Enabled"] = "true",
            ["Moderation:Worker:Lease"] = Lease.ToString(),
            ["Moderation:Worker:PollInterval"] = "00:00:00.500",
            ["Moderation:Worker:BatchSize"] = "64",
        };
        // Started together: the three migrate the empty database at once (an advisory lock makes them take turns).
        var replicas = new[] { cluster.Start("one", worker), cluster.Start("two", worker), cluster.Start("three", worker) };
        await Task.WhenAll(replicas.Select(r => r.WaitHealthyAsync(TimeSpan.FromSeconds(90))));
        log.WriteLine($"{clock.ElapsedMilliseconds} ms: three replicas healthy (pids {string.Join(", ", replicas.Select(r => r.ProcessId))})");

        var clients = replicas.Select(r => r.Client(PostgresCluster.AdminKey)).ToArray();
        try
        {
            foreach (var (id, title, body) in Articles)
            {
                var put = await clients[0].PutAsJsonAsync($"/api/articles/{id}", new { title, body });
                Assert.True(put.IsSuccessStatusCode, $"PUT article {id}: {(int)put.StatusCode}");
            }

            var victim = replicas[1];
            var ingest = Task.Run(() => Ingest(clients, replicas));
            var (orphans, owners) = await KillWhileHoldingABatch(victim);
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: SIGKILL pid {victim.ProcessId} holding {orphans.Count} leased comments; lease owners seen before: {owners.Count}");
            await ingest;
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: {Total} comments ingested");

            await cluster.WaitUntil(() => cluster.Scalar("SELECT count(*) FROM comments WHERE status = 'received'") == 0,
                "the two survivors score every comment", TimeSpan.FromSeconds(120));
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: every comment scored");
            using (var c = cluster.Open())
            {
                // Rolled-back transactions: mostly serialization failures that were run again (and the dead worker's open one).
                var (commits, rollbacks) = c.QuerySingle<(long, long)>(
                    "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()");
                log.WriteLine($"{commits} transactions committed, {rollbacks} rolled back");
            }

            Assert.True(victim.HasExited, "the killed replica still runs");
            Assert.All(replicas.Where(r => r != victim), r => Assert.False(r.HasExited, $"a survivor exited:\n{cluster.Output()}"));
            Assert.True(owners.Count >= 2, $"only {owners.Count} worker(s) ever held a lease: the backlog was not shared\n{string.Join("\n", owners)}");
            AssertScoredOnce();
            AssertOrphansTakenOver(orphans);
            AssertQueueHoldsEveryFlaggedCommentOnce();
            log.WriteLine($"{clock.ElapsedMilliseconds} ms: database checked");
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    /// <summary>
    /// Posts every comment through the contract's ingest route, spread over the replicas. A post to the killed replica
    /// fails and goes to the next one: ingest is idempotent (the same id and text again is a no-op).
    /// </summary>
    async Task Ingest(HttpClient[] clients, ServiceProcess[] replicas)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var (articleId, commentId, text) = Comment(i);
            for (var attempt = 0; ; attempt++)
            {
                var target = (i + attempt) % clients.Length;
                if (replicas[target].HasExited) continue;
                try
                {
                    var response = await clients[target].PostAsJsonAsync($"/api/articles/{articleId}/comments",
                        new { commentId, text, authorId = $"author-{i % 23}" }, ct);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                        Assert.Fail($"POST {commentId} to port {replicas[target].Port}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}\n{cluster.Output()}");
                    return;
                }
                catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && attempt < 6) { }
            }
        });
    }

    /// <summary>
    /// Waits until the backlog is partly scored and the victim's worker holds leased comments, freezes it (SIGSTOP, so its
    /// leases cannot change while they are read), and SIGKILLs it if it still holds some (else lets it go on and tries
    /// again). Returns the comments it held with their lease ends, and every lease owner seen while waiting.
    /// </summary>
    async Task<(Dictionary<string, DateTimeOffset> Orphans, HashSet<string> Owners)> KillWhileHoldingABatch(ServiceProcess victim)
    {
        var owners = new HashSet<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var pattern = PostgresCluster.LeaseOwnerPattern(victim);
        while (DateTime.UtcNow < deadline)
        {
            using (var c = cluster.Open())
            {
                owners.UnionWith(await c.QueryAsync<string>("SELECT DISTINCT lease_owner FROM comments WHERE lease_owner IS NOT NULL"));
                var scored = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM comments WHERE status <> 'received'");
                var held = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM comments WHERE status = 'received' AND lease_owner LIKE @pattern", new { pattern });
                if (scored >= Total / 20 && held > 0)
                {
                    PostgresCluster.Freeze(victim);
                    await Task.Delay(300);   // a statement it sent just before the stop has landed
                    var orphans = (await c.QueryAsync<(string Id, string Until)>(
                            "SELECT comment_id, lease_until FROM comments WHERE status = 'received' AND lease_owner LIKE @pattern", new { pattern }))
                        .ToDictionary(r => r.Id, r => DateTimeOffset.Parse(r.Until, System.Globalization.CultureInfo.InvariantCulture));
                    if (orphans.Count > 0)
                    {
                        victim.Kill();   // SIGKILL (works on a stopped process): no release of its leases, no graceful end
                        return (orphans, owners);
                    }
                    PostgresCluster.Resume(victim);
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"the victim (pid {victim.ProcessId}) never held a batch once 5 % of the backlog was scored ({cluster.Scalar("SELECT count(*) FROM comments WHERE status <> 'received'")} of {cluster.Scalar("SELECT count(*) FROM comments")} stored comments scored)\n{cluster.Output()}");
    }

    void AssertScoredOnce()
    {
        using var c = cluster.Open();
        var ids = c.Query<string>("SELECT comment_id FROM comments").ToHashSet();
        Assert.Equal(Enumerable.Range(0, Total).Select(i => Comment(i).CommentId).ToHashSet(), ids);
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status = 'received'"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL"));
        Assert.Equal(Total, c.ExecuteScalar<long>("SELECT count(*) FROM scores"));
        Assert.Empty(c.Query<string>("""
            SELECT c.comment_id FROM comments c LEFT JOIN scores s ON s.comment_id = c.comment_id
            WHERE s.comment_id IS NULL OR s.text_version <> c.text_version
            """));
        // One 'scored' audit row per comment (no edits here, so one per text version), and it names the status the comment has.
        var scoredTwice = c.Query<(string Id, long N)>("""
            SELECT c.comment_id, count(a.id) FROM comments c LEFT JOIN audit a ON a.comment_id = c.comment_id AND a.action = 'scored'
            GROUP BY c.comment_id HAVING count(a.id) <> 1
            """).ToList();
        Assert.True(scoredTwice.Count == 0, $"{scoredTwice.Count} comments not scored exactly once, e.g. {string.Join(", ", scoredTwice.Take(5))}");
        Assert.Empty(c.Query<string>("""
            SELECT c.comment_id FROM comments c JOIN audit a ON a.comment_id = c.comment_id AND a.action = 'scored'
            WHERE a.status_after <> c.status
            """));
    }

    void AssertOrphansTakenOver(Dictionary<string, DateTimeOffset> orphans)
    {
        using var c = cluster.Open();
        var scoredAt = c.Query<(string Id, string At)>("SELECT comment_id, scored_at FROM scores WHERE comment_id = ANY(@ids)", new { ids = orphans.Keys.ToArray() })
            .ToDictionary(r => r.Id, r => DateTimeOffset.Parse(r.At, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(orphans.Keys.ToHashSet(), scoredAt.Keys.ToHashSet());
        // A survivor claims only a comment whose lease has run out, so each was scored after the dead worker's lease ended.
        var early = orphans.Where(o => scoredAt[o.Key] <= o.Value).Select(o => $"{o.Key} at {scoredAt[o.Key]:O}, lease until {o.Value:O}").ToList();
        Assert.True(early.Count == 0, $"{early.Count} of the dead worker's comments were scored before its lease ended: {string.Join("; ", early.Take(5))}");
    }

    void AssertQueueHoldsEveryFlaggedCommentOnce()
    {
        using var c = cluster.Open();
        // Flagged = the worker's verdict put it in the queue: status pending or hidden, as its 'scored' audit row says.
        var flagged = c.Query<string>("SELECT comment_id FROM audit WHERE action = 'scored' AND status_after IN ('pending', 'hidden')").ToList();
        var queued = c.Query<(string Id, string State)>("SELECT comment_id, state FROM queue").ToList();
        Assert.True(flagged.Count > 0 && flagged.Count < Total, $"the mix should flag some comments but not all ({flagged.Count} flagged)");
        Assert.Equal(flagged.Count, queued.Count);
        Assert.Equal(flagged.Order(StringComparer.Ordinal), queued.Select(q => q.Id).Order(StringComparer.Ordinal));
        Assert.All(queued, q => Assert.Equal("pending", q.State));
        Assert.Equal(flagged.Count, c.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status IN ('pending', 'hidden')"));
        // Flagged comments carry the reasons they were flagged for.
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT count(*) FROM queue WHERE reasons = '[]'"));
        log.WriteLine($"{flagged.Count} of {Total} comments flagged and queued once each");
    }
}
