namespace Moderation.Worker.Connectors;

/// <summary>What one poll of a source did. <see cref="Error"/> is set when it stopped early or skipped a page.</summary>
public sealed record PollResult(int Ingested, int Skipped, string? Error);

/// <summary>A source the service pulls comments from. One poll reads everything new since the stored cursor.</summary>
public interface ISourceConnector
{
    SourceOptions Source { get; }

    Task<PollResult> PollAsync(CancellationToken ct);
}
