using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Moderation.Reliability.Tests;

/// <summary>
/// The API with its worker switched off and a worker-only process (<c>Moderation.Cli worker</c>) on the same SQLite file
/// (docs/OPERATIONS.md, "Worker-only process"): comments posted to the API are scored by the other process, which stops
/// cleanly on SIGTERM.
/// </summary>
public sealed class WorkerProcessTests : IDisposable
{
    const string AdminKey = "reliability-admin-key-0123456789";
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    static async Task<string> StatusAsync(HttpClient client, string commentId)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync($"/api/comments/{commentId}"));
        return body.RootElement.GetProperty("status").GetString()!;
    }

    static async Task<string> ScoredAsync(HttpClient client, string commentId, ServiceProcess worker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await StatusAsync(client, commentId);
            if (status != "received") return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{commentId} was not scored within a minute; the worker wrote:\n{worker.Output}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_worker_only_process_scores_what_the_api_without_a_worker_takes_in_and_exits_0_on_sigterm()
    {
        var shared = new Dictionary<string, string>
        {
            ["Moderation:Database"] = folder.File("moderation.db"),
            ["Moderation:Relevance:Embeddings"] = "false",
            ["Moderation:Worker:PollInterval"] = "00:00:00.200",
        };
        using var api = ServiceProcess.Start(folder.Path, new Dictionary<string, string>(shared)
        {
            ["Moderation:Auth:AdminKey"] = AdminKey, ["Moderation:Worker:Enabled"] = "false",
        });
        await api.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var client = api.Client(AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsJsonAsync("/api/articles/a1",
            new { title = "Bike lanes on Main Street", body = "The council voted for protected bike lanes on Main Street." })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/articles/a1/comments",
            new { commentId = "before", text = "Good call on the bike lanes, Main Street needs them." })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("received", await StatusAsync(client, "before"));   // the API scores nothing itself

        using var worker = ServiceProcess.StartWorker(folder.Path, shared);
        await worker.WaitForOutputAsync("Moderation worker started", TimeSpan.FromSeconds(60));
        Assert.NotEqual("received", await ScoredAsync(client, "before", worker));
        // A comment that comes in while the worker runs: no signal crosses processes, the worker's poll finds it.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/articles/a1/comments",
            new { commentId = "during", text = "The lanes should go all the way to the station." })).StatusCode);
        Assert.NotEqual("received", await ScoredAsync(client, "during", worker));

        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Now listening on", worker.Output);
        Assert.Contains("Application is shutting down", worker.Output);
    }

    [Fact]
    public void The_worker_only_process_runs_on_the_base_runtime_without_asp_net_core()
    {
        var config = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Moderation.Cli.runtimeconfig.json"));
        Assert.Contains("Microsoft.NETCore.App", config);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", config);
        var references = typeof(Moderation.Cli.WorkerCommand).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Moderation.Worker", references);
        Assert.DoesNotContain("Moderation.Api", references);
    }

    [Fact]
    public async Task A_worker_only_process_that_cannot_open_its_database_says_so_in_one_line_and_exits_1()
    {
        File.WriteAllText(folder.File("not-a-folder"), "");
        using var worker = ServiceProcess.StartWorker(folder.Path, new Dictionary<string, string>
        {
            ["Moderation:Database"] = folder.File("not-a-folder/moderation.db"), ["Moderation:Relevance:Embeddings"] = "false",
        });
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Moderation worker cannot start: Cannot open or create the database at", worker.Output);
        Assert.Contains("not-a-folder", worker.Output);
    }
}
