using Microsoft.Extensions.Options;
using Moderation.Storage;
using Moderation.Worker;
using Moderation.Worker.Health;

namespace Moderation.Api.Health;

/// <summary>
/// <c>GET /health</c> is liveness (the process answers). <c>GET /health/ready</c> says whether it does its job: the
/// database answers, the oldest unscored comment is young enough, and the in-process worker runs, is not stalled and
/// is not failing batch after batch. 503 lists every reason. No key: a load balancer or orchestrator calls it, so it
/// says nothing about the data (no ids, no texts, no paths).
/// </summary>
public static class ReadinessApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Health").WithName("Health").AllowAnonymous();
        app.MapGet("/health/ready", Ready).WithTags("Health").WithName("Readiness").AllowAnonymous()
            .WithSummary("200 when the database, the worker and the inbox age are fine; 503 with the reasons otherwise")
            .Produces<ReadinessStatus>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    static async Task<IResult> Ready(Moderation.Storage.Inbox.InboxRepository inbox, WorkerHealth worker, IOptions<WorkerOptions> workerOptions,
        IOptionsMonitor<ReadinessOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var reasons = new List<string>();
        double? oldestSeconds = null;
        string database = "ok";
        try
        {
            if (await inbox.OldestUnscoredAsync(ct) is { } oldest)
            {
                var age = now - oldest;
                oldestSeconds = Math.Max(0, Math.Round(age.TotalSeconds, 1));
                if (age > o.MaxUnscoredAge) reasons.Add($"the oldest unscored comment has waited {Show(age)} (limit {Show(o.MaxUnscoredAge)})");
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            database = "unavailable";
            reasons.Add($"the database does not answer (SQLite error {e.SqliteErrorCode})");
        }

        object workerCheck = "not hosted here";
        if (workerOptions.Value.Enabled)
        {
            var w = worker.Snapshot();
            workerCheck = new { state = w.State.ToString().ToLowerInvariant(), w.FailuresInRow, w.LastProgress, w.LastError };
            if (w.State is WorkerState.Stopped or WorkerState.NotStarted) reasons.Add("the worker is not running");
            else if (w.State == WorkerState.Busy && w.LastProgress is { } last && now - last > o.MaxWorkerStall)
                reasons.Add($"the worker is stalled: no batch finished for {Show(now - last)} (limit {Show(o.MaxWorkerStall)})");
            if (w.FailuresInRow >= o.MaxFailuresInRow)
                reasons.Add($"the worker failed {w.FailuresInRow} times in a row (last: {w.LastError}; limit {o.MaxFailuresInRow})");
        }

        var checks = new { database, worker = workerCheck, oldestUnscoredSeconds = oldestSeconds };
        if (reasons.Count == 0) return TypedResults.Ok(new ReadinessStatus("ready", checks));
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: string.Join("; ", reasons),
            extensions: new Dictionary<string, object?> { ["reasons"] = reasons, ["checks"] = checks });
    }

    static string Show(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:F1} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:F1} min" : $"{t.TotalSeconds:F0} s";
}

/// <summary>GET /health: the process is up and serving.</summary>
public sealed record HealthStatus(string Status);

/// <summary>GET /health/ready when ready: what was checked (database, worker, oldest unscored comment's age).</summary>
public sealed record ReadinessStatus(string Status, object Checks);
