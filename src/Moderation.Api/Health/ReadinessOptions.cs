namespace Moderation.Api.Health;

/// <summary>Bound from <c>Moderation:Readiness</c>: when <c>/health/ready</c> answers 503.</summary>
public sealed class ReadinessOptions
{
    public const string Section = "Moderation:Readiness";

    /// <summary>The oldest comment still waiting to be scored may be this old (the worker keeps up, wherever it runs).</summary>
    public TimeSpan MaxUnscoredAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A busy in-process worker that finished no batch for this long is stalled. An idle worker is never stalled.</summary>
    public TimeSpan MaxWorkerStall { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>This many failed worker drains in a row make the service not ready (each one is retried with backoff).</summary>
    public int MaxFailuresInRow { get; set; } = 3;
}
