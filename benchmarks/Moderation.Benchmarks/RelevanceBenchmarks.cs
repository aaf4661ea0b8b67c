using BenchmarkDotNet.Attributes;
using Moderation.Core.Relevance;

namespace Moderation.Benchmarks;

/// <summary>
/// Relevance engine cost for ~60-word comments. Embed* measure the ONNX model alone (comments/s =
/// 1e9 / ns per op, times 16 for the batch); LexicalFeatures is the cheap path; Score* are the whole
/// scorer (embedding + features + model + evidence) with and without the embedder.
/// </summary>
[MemoryDiagnoser]
public class RelevanceBenchmarks
{
    private const string Comment =
        "I ride the number 14 bus home from the hospital after night shifts, and if the council cuts the late routes " +
        "I will have to walk forty minutes in the dark. The budget debate keeps treating buses as a luxury, but for " +
        "nurses and cleaners on the east side they are the only way to get to work at all.";

    private const string Title = SampleArticle.Title;
    private static readonly string Body = SampleArticle.Body;

    private SentenceEmbedder _embedder = null!;
    private RelevanceScorer _semantic = null!;
    private RelevanceScorer _lexical = null!;
    private ArticleProfile _profile = null!;
    private ArticleProfile _lexicalProfile = null!;
    private InMemoryDocumentFrequencies _df = null!;
    private string[] _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _embedder = SentenceEmbedder.CreateDefault();
        _semantic = RelevanceScorer.CreateDefault(_embedder);
        _lexical = RelevanceScorer.CreateDefault(null);
        _profile = new ArticleProfiler(_embedder).Build(Title, Body);
        _lexicalProfile = new ArticleProfiler(null).Build(Title, Body);
        _df = new InMemoryDocumentFrequencies();
        _df.Add(_profile);
        _df.Add(new ArticleProfiler(null).Build("Storm knocks out power", "A storm cut power to thousands of homes."));
        _batch = Enumerable.Range(0, 16).Select(i => $"{Comment} ({i})").ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Description = "Embed one ~60-word comment")]
    public float[] EmbedOne() => _embedder.Embed(Comment);

    [Benchmark(Description = "EmbedBatch 16 ~60-word comments")]
    public float[][] EmbedBatch16() => _embedder.EmbedBatch(_batch);

    [Benchmark(Description = "Lexical features")]
    public LexicalStats Lexical() => LexicalFeatures.Compute(_lexicalProfile, Comment, _df);

    [Benchmark(Description = "Score, lexical only")]
    public RelevanceResult ScoreLexical() => _lexical.Score(_lexicalProfile, Comment, ThreadContext.Empty, _df);

    [Benchmark(Description = "Score with embeddings")]
    public RelevanceResult ScoreSemantic() => _semantic.Score(_profile, Comment, ThreadContext.Empty, _df);

    [Benchmark(Description = "Build article profile (~300 words, embeddings)")]
    public ArticleProfile BuildProfile() => new ArticleProfiler(_embedder).Build(Title, Body);
}
