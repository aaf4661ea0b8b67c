using System.Net;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>
/// Meters are process-wide by name, so a test app's scrape would count what apps of tests running beside it do:
/// this collection runs alone.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>GET /metrics: Prometheus text with the service's counts, ASP.NET Core's and the runtime's, behind the admin key.</summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task A_scrape_after_scoring_shows_comments_reports_decisions_queue_depth_and_stage_timings()
    {
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "Protected lanes will make Main Street safer for everyone.");
        await client.PostComment("a1", "c2", "This council is full of shit.");
        await client.PostComment("a1", "c3", "Construction in March sounds fine to me.");
        foreach (var id in new[] { "c1", "c2", "c3" }) await client.WaitScored(id);
        await client.PostComment("a1", "c3", "Construction in March sounds fine to me, edited.");
        await client.WaitScored("c3");
        var reader = app.Reader("198.51.100.20");
        await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = "r1" });
        await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId = "r1" });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/queue/c2/decision", new { action = "reject" })).StatusCode);
        var dry = await (await client.PostAsJsonAsync("/api/queue/decisions", new { action = "approve", filter = new { reason = "reader_reports" }, dryRun = true })).Json();
        Assert.Equal(1, dry.GetProperty("count").GetInt32());
        var bulk = await client.PostAsJsonAsync("/api/queue/decisions",
            new { action = "approve", filter = new { reason = "reader_reports" }, dryRun = false, asOf = dry.GetProperty("asOf").GetDateTimeOffset() });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);

        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(3, Value(text, "moderation_comments_received_total", "outcome=\"created\""));
        Assert.Equal(1, Value(text, "moderation_comments_received_total", "outcome=\"edited\""));
        Assert.Equal(4, Value(text, "moderation_comments_scored_total", ""));   // c3 twice: once per text
        Assert.Equal(1, Value(text, "moderation_reports_total", "outcome=\"accepted\""));
        Assert.Equal(1, Value(text, "moderation_reports_total", "outcome=\"duplicate\""));
        Assert.Equal(1, Value(text, "moderation_decisions_total", "action=\"reject\",bulk=\"false\""));
        Assert.Equal(1, Value(text, "moderation_decisions_total", "action=\"approve\",bulk=\"true\""));
        Assert.Equal(1, Value(text, "moderation_decision_time_to_decision_seconds_count", "action=\"reject\""));
        Assert.Equal(2, Value(text, "moderation_queue_depth", "reason=\"all\",state=\"decided\""));
        Assert.Equal(0, Value(text, "moderation_queue_depth", "reason=\"reader_reports\",state=\"pending\""));
        Assert.Contains("moderation_queue_depth{otel_scope_name=\"Moderation\",reason=\"reader_reports\",state=\"pending\"} 0", text);
        Assert.Contains("moderation_worker_lag_seconds{", text);
        Assert.Equal(0, Value(text, "moderation_worker_lag_seconds", ""));
        foreach (var stage in new[] { "load", "thread", "score", "decide", "write" })
            Assert.True(Value(text, "moderation_scoring_duration_seconds_count", $"stage=\"{stage}\"") >= 2, stage);
        Assert.True(Value(text, "moderation_scoring_phase_duration_seconds_count", "phase=\"lexical\"") >= 2);
        Assert.True(Value(text, "moderation_scoring_phase_duration_seconds_count", "phase=\"embedding\"") >= 1);   // the gate sent on at least one
        Assert.Contains("http_server_request_duration_seconds_bucket", text);   // ASP.NET Core's meter
        Assert.Contains("dotnet_gc_", text);                                    // the runtime's
        Assert.DoesNotContain("\"c1\"", text);                                  // no ids as labels
    }

    [Fact]
    public async Task Metrics_need_the_admin_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(null).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(await app.KeyFor("moderator")).GetAsync("/metrics")).StatusCode);
    }

    /// <summary>The sum of the values of the series of <paramref name="metric"/> whose labels contain <paramref name="labels"/>.</summary>
    static double Value(string text, string metric, string labels) => text.Split('\n')
        .Where(l => (l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal)) && l.Contains(labels, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
