using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Core.Profanity;
using Moderation.Core.Relevance;
using Moderation.Core.Scoring;

namespace Moderation.Worker.Scoring;

/// <summary>Bound from <c>Moderation:Relevance</c>.</summary>
public sealed class RelevanceHostOptions
{
    public const string Section = "Moderation:Relevance";

    /// <summary>Use sentence embeddings (all-MiniLM-L6-v2, offline). False = lexical features only (faster, a little less accurate).</summary>
    public bool Embeddings { get; set; } = true;

    /// <summary>ONNX Runtime threads for one embedding run; default 1 (callers run in parallel, one per core).</summary>
    public int? EmbeddingThreads { get; set; }

    /// <summary><c>Int8</c> (default: integer matrix products, ≈ 2.5× less CPU) or <c>Float32</c> (the package's graph as
    /// published). The shipped relevance models were evaluated with both (docs/RELEVANCE.md).</summary>
    public EmbeddingPrecision EmbeddingPrecision { get; set; } = EmbeddingPrecision.Int8;

    /// <summary>Embedding gate margin (<see cref="RelevanceOptions.EmbeddingGateMargin"/>): comments whose lexical relevance
    /// is this far from the off-topic threshold are not embedded. 1 = embed every comment. Measured in docs/PERFORMANCE.md.</summary>
    public double EmbeddingGate { get; set; } = RelevanceOptions.ServiceEmbeddingGate;
}

/// <summary>The scorer every process that scores uses: the API (previews, ingest terms) and the worker, with or without the API.</summary>
public static class ScoringServices
{
    /// <summary>
    /// The models are loaded once per process and shared: they are read-only and thread-safe, and
    /// loading the embedding model takes most of a second.
    /// </summary>
    static readonly Lazy<SentenceEmbedder> SharedEmbedder = new(() => SentenceEmbedder.CreateDefault(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static IServiceCollection AddModerationScoring(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(RelevanceHostOptions.Section).Get<RelevanceHostOptions>() ?? new RelevanceHostOptions();
        services.AddSingleton(_ => ProfanityScorer.CreateDefault());
        services.AddSingleton<ICommentScorer>(sp =>
        {
            var embedder = !options.Embeddings ? null
                : options.EmbeddingThreads is not null || options.EmbeddingPrecision != EmbeddingPrecision.Int8
                    ? SentenceEmbedder.CreateDefault(options.EmbeddingThreads, options.EmbeddingPrecision)
                    : SharedEmbedder.Value;
            return new CommentScorer(sp.GetRequiredService<ProfanityScorer>(), RelevanceScorer.CreateDefault(embedder,
                new RelevanceOptions { EmbeddingGateMargin = options.EmbeddingGate }), embedder);
        });
        return services;
    }

    /// <summary>Loads the lexicon and the models now, at start: a missing or corrupt model stops the start with its name, not the first batch.</summary>
    public static void LoadScorer(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<ICommentScorer>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new ScorerUnavailableException($"Cannot load the scoring models: {e.Message}", e);
        }
    }
}

/// <summary>The scoring models cannot be loaded; the message names what is missing or broken.</summary>
public sealed class ScorerUnavailableException(string message, Exception inner) : Exception(message, inner);
