using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>
/// POST /api/backups while the service takes writes, then the documented restore: copy the file into place and start on
/// it. SQLite only: on PostgreSQL the route answers 409 (backups are taken with pg_dump).
/// </summary>
public sealed class BackupTests
{
    [SqliteFact]
    public async Task A_backup_taken_under_write_load_restores_every_comment_report_and_decision_acknowledged_before_it_started()
    {
        using var app = new TestApp();
        var client = app.Client();
        await client.PutArticle("a1");
        const int Seeded = 12;
        for (var i = 0; i < Seeded; i++) Assert.Equal(HttpStatusCode.Accepted, (await client.PostComment("a1", $"s{i}", $"Seeded comment {i} about the bike lanes.")).StatusCode);
        for (var i = 0; i < Seeded; i++) await client.WaitScored($"s{i}");

        // Writers that record what the service acknowledged, in order, until told to stop.
        var comments = new ConcurrentQueue<string>();
        var reports = new ConcurrentQueue<(string Comment, string Reporter)>();
        var decisions = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writers = new[]
        {
            Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                    if ((await client.PostComment("a1", $"w{i}", $"Comment {i} written during the backup.")).StatusCode == HttpStatusCode.Accepted) comments.Enqueue($"w{i}");
            }),
            Task.Run(async () =>
            {
                var reader = app.Reader("198.51.100.7");
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var target = $"s{i % Seeded}";
                    var response = await reader.PostAsJsonAsync($"/api/comments/{target}/reports", new { reason = "spam", reporterId = $"r{i}" });
                    if (response.StatusCode == HttpStatusCode.Accepted) reports.Enqueue((target, $"r{i}"));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < Seeded && !stop.IsCancellationRequested; i++)
                    if ((await client.PostAsJsonAsync($"/api/queue/s{i}/decision", new { action = "reject", force = true })).StatusCode == HttpStatusCode.OK) decisions.Enqueue($"s{i}");
            }),
        };
        while (comments.Count < 20 || reports.Count < 20) await Task.Delay(10);

        // What was acknowledged before the backup request left: all of it must be in the copy.
        var ackedComments = comments.ToArray();
        var ackedReports = reports.ToArray();
        var ackedDecisions = decisions.ToArray();
        var backup = await client.PostAsync("/api/backups", null);
        var writtenDuring = comments.Count - ackedComments.Length;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Equal(HttpStatusCode.Created, backup.StatusCode);
        var body = await backup.Json();
        var path = body.GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(app.Folder, "backups"), Path.GetDirectoryName(path));
        Assert.Equal(new FileInfo(path).Length, body.GetProperty("bytes").GetInt64());
        if (!OperatingSystem.IsWindows()) Assert.Equal(Moderation.Storage.OwnerOnly.File, File.GetUnixFileMode(path));

        // Restore (docs/OPERATIONS.md): the service stopped, the copy put where Moderation:Database points, started again.
        var restoredPath = Path.Combine(app.Folder, "restored", "moderation.db");
        Directory.CreateDirectory(Path.GetDirectoryName(restoredPath)!);
        File.Copy(path, restoredPath);
        using var restored = new TestApp(new() { ["Moderation:Database"] = restoredPath, ["Moderation:Worker:Enabled"] = "false" });
        var r = restored.Client();
        foreach (var id in ackedComments)
            Assert.Equal(HttpStatusCode.OK, (await r.GetAsync($"/api/comments/{id}")).StatusCode);
        foreach (var group in ackedReports.GroupBy(x => x.Comment))
            Assert.True((await r.GetJson($"/api/comments/{group.Key}")).GetProperty("reports").GetProperty("count").GetInt32() >= group.Count(), group.Key);
        foreach (var id in ackedDecisions)
            Assert.Equal("rejected", (await r.GetJson($"/api/comments/{id}")).GetProperty("status").GetString());
        Assert.True(ackedComments.Length >= 20 && ackedReports.Length >= 20, "the writers ran before the backup");
        Console.WriteLine($"backup of {body.GetProperty("bytes").GetInt64()} bytes; {ackedComments.Length} comments, {ackedReports.Length} reports, " +
            $"{ackedDecisions.Length} decisions acknowledged before it; {writtenDuring} comments acknowledged while it ran");
    }

    [Fact]
    public async Task Backups_need_the_admin_key()
    {
        using var app = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(await app.KeyFor("moderator")).PostAsync("/api/backups", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(null).PostAsync("/api/backups", null)).StatusCode);
    }

    [SqliteFact]
    public async Task Backups_are_audited()
    {
        using var app = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.Created, (await app.Client().PostAsync("/api/backups", null)).StatusCode);
        var audit = (await app.Client().GetJson("/api/audit")).GetProperty("items").EnumerateArray();
        Assert.Single(audit, e => e.GetProperty("action").GetString() == "backup_created");
    }

    [SqliteFact]
    public async Task A_backup_that_cannot_be_written_answers_problem_details_not_a_bare_error()
    {
        using var app = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        await app.Client().PutArticle("a1");
        File.WriteAllText(Path.Combine(app.Folder, "backups"), "a file where the folder should be");

        var response = await app.Client().PostAsync("/api/backups", null);
        await response.AssertProblem(HttpStatusCode.InternalServerError);
        Assert.Equal("Backup failed", (await response.Json()).GetProperty("title").GetString());
    }

    /// <summary>The server's own tools back PostgreSQL up (pg_dump, docs/SCALING.md): the service says so instead of copying a file.</summary>
    [PostgresOnlyFact]
    public async Task On_postgresql_a_backup_request_is_a_409_that_points_to_pg_dump_and_writes_nothing()
    {
        using var app = new TestApp(new() { ["Moderation:Worker:Enabled"] = "false" });
        var response = await app.Client().PostAsync("/api/backups", null);
        await response.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("pg_dump", (await response.Json()).GetProperty("detail").GetString());
        Assert.False(Directory.Exists(Path.Combine(app.Folder, "backups")) && Directory.EnumerateFileSystemEntries(Path.Combine(app.Folder, "backups")).Any());
        var audit = (await app.Client().GetJson("/api/audit")).GetProperty("items").EnumerateArray();
        Assert.DoesNotContain(audit, e => e.GetProperty("action").GetString() == "backup_created");
    }
}
