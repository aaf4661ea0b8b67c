using System.Diagnostics.Metrics;

namespace Moderation.Worker.Telemetry;

/// <summary>
/// The service's own instruments, on the <c>Moderation</c> meter (docs/OPERATIONS.md, "Metrics"). Tags carry only
/// closed sets (a status, a stage, an action, an outcome): never a comment, article or reader id, which would make a
/// time series per person. Queue depth and worker lag are read from the database at scrape time (the API host's
/// StoreGauges).
/// </summary>
public sealed class ModerationMetrics
{
    public const string MeterName = "Moderation";

    /// <summary>Where the meters are also pushed over OTLP, in the API and in the worker-only process alike.</summary>
    public const string OtlpEndpointKey = "Moderation:Telemetry:OtlpEndpoint";

    readonly Counter<long> received, scored, failed, reports, decisions;
    readonly Histogram<double> stage, timeToDecision;

    public ModerationMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        received = Meter.CreateCounter<long>("moderation.comments.received", "{comment}", "Comments taken in (new or edited text), by outcome");
        scored = Meter.CreateCounter<long>("moderation.comments.scored", "{comment}", "Comments the worker scored, by the status they got");
        failed = Meter.CreateCounter<long>("moderation.comments.failed", "{comment}", "Failed scoring attempts; gave_up=true when the comment went to a moderator");
        stage = Meter.CreateHistogram("moderation.scoring.duration", "s", "Time per worker batch stage: load, thread, score (lexical and embedding), decide, write",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        reports = Meter.CreateCounter<long>("moderation.reports", "{report}", "Reader reports by outcome: accepted, duplicate, not_found, rate_limited");
        decisions = Meter.CreateCounter<long>("moderation.decisions", "{decision}", "Moderator decisions by action; bulk=true for POST /api/queue/decisions");
        timeToDecision = Meter.CreateHistogram("moderation.decision.time_to_decision", "s", "From flagging to a moderator's decision",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200] });
    }

    public Meter Meter { get; }

    public void Received(string outcome) => received.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Scored(string status) => scored.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Failed(bool gaveUp) => failed.Add(1, new KeyValuePair<string, object?>("gave_up", gaveUp));

    public void Stage(string name, TimeSpan elapsed) => stage.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", name));

    public void Report(string outcome) => reports.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Decision(string action, TimeSpan? sinceFlagged)
    {
        decisions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("bulk", false));
        if (sinceFlagged is { } t && t >= TimeSpan.Zero) timeToDecision.Record(t.TotalSeconds, new KeyValuePair<string, object?>("action", action));
    }

    /// <summary>A bulk decision of <paramref name="count"/> comments (no time to decision: they were counted, not each read).</summary>
    public void BulkDecisions(string action, long count)
    {
        if (count > 0) decisions.Add(count, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("bulk", true));
    }
}
