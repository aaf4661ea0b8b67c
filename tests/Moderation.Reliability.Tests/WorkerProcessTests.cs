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

    /// <summary>The settings the API and the worker process share: one database file, no embeddings, a quick poll.</summary>
    Dictionary<string, string> Shared() => new()
    {
        ["Moderation:Database"] = folder.File("moderation.db"),
        ["Moderation:Relevance:Embeddings"] = "false",
        ["Moderation:Worker:PollInterval"] = "00:00:00.200",
    };

    /// <summary>The API with its worker off, an article, and comment <paramref name="commentId"/> taken in (not scored).</summary>
    async Task<ServiceProcess> ApiWithoutWorkerAsync(string commentId)
    {
        var api = ServiceProcess.Start(folder.Path, new Dictionary<string, string>(Shared())
        {
            ["Moderation:Auth:AdminKey"] = AdminKey, ["Moderation:Worker:Enabled"] = "false",
        });
        await api.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var client = api.Client(AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsJsonAsync("/api/articles/a1",
            new { title = "Bike lanes on Main Street", body = "The council voted for protected bike lanes on Main Street." })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/articles/a1/comments",
            new { commentId, text = "Good call on the bike lanes, Main Street needs them." })).StatusCode);
        return api;
    }

    [Fact]
    public async Task A_worker_only_process_scores_what_the_api_without_a_worker_takes_in_and_exits_0_on_sigterm()
    {
        using var api = await ApiWithoutWorkerAsync("before");
        var client = api.Client(AdminKey);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("received", await StatusAsync(client, "before"));   // the API scores nothing itself

        using var worker = ServiceProcess.StartWorker(folder.Path, Shared());
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

    /// <summary>
    /// With no listener to scrape, the worker-only process pushes its meters over OTLP to the collector
    /// Moderation:Telemetry:OtlpEndpoint names (here a local listener taking OTLP/HTTP protobuf, as a collector does).
    /// </summary>
    [Fact]
    public async Task A_worker_only_process_pushes_its_metrics_over_otlp_where_an_endpoint_is_set()
    {
        var port = ServiceProcess.FreePort();
        using var collector = new System.Net.HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        using var api = await ApiWithoutWorkerAsync("c1");
        var client = api.Client(AdminKey);

        using var worker = ServiceProcess.StartWorker(folder.Path,
            new Dictionary<string, string>(Shared()) { ["Moderation:Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}/v1/metrics" },
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_METRIC_EXPORT_INTERVAL"] = "500" });
        await worker.WaitForOutputAsync("Moderation worker started", TimeSpan.FromSeconds(60));
        Assert.NotEqual("received", await ScoredAsync(client, "c1", worker));

        // Exports arrive every half second; one after the scoring carries the scored-comments counter (protobuf keeps
        // a metric's name as plain UTF-8 bytes).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var paths = new List<string>();
        while (true)
        {
            var next = collector.GetContextAsync();
            if (await Task.WhenAny(next, Task.Delay(deadline - DateTime.UtcNow)) != next)
                throw new TimeoutException($"no OTLP export named moderation.comments.scored within a minute (requests: {string.Join(", ", paths)}); the worker wrote:\n{worker.Output}");
            var context = await next;
            paths.Add($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}");
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
            if (System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains("moderation.comments.scored", StringComparison.Ordinal)) break;
        }
        Assert.All(paths, p => Assert.Equal("POST /v1/metrics", p));
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
