using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Moderation.Core.Scoring;

/// <summary>
/// Time spent in the two passes of <see cref="CommentScorer.ScoreBatch"/>: the lexical pass (profanity and lexical
/// relevance, every comment) and the embedding pass (only the comments the gate sends on). A BCL meter, so Core stays
/// free of hosting: the host exports it when it listens to <see cref="MeterName"/> (docs/OPERATIONS.md, "Metrics").
/// </summary>
public static class ScoringTelemetry
{
    public const string MeterName = "Moderation.Scoring";

    static readonly Meter Meter = new(MeterName);

    static readonly Histogram<double> Phase = Meter.CreateHistogram("moderation.scoring.phase.duration", "s",
        "Time per scoring pass of a batch: lexical (every comment) and embedding (comments the gate sends on)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static void Record(string phase, long startTimestamp) =>
        Phase.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("phase", phase));
}
