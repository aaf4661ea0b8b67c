using BenchmarkDotNet.Attributes;
using Moderation.Core.Relevance;

namespace Moderation.Benchmarks;

/// <summary>
/// ONNX Runtime threads per run against parallel callers, as the worker uses the embedder: ~60-word comments embedded
/// one per call with a caller per core, and an article profile (a real ~800-word training article: body chunks, title
/// and every sentence). Per comment / per article. Decides the defaults of <c>Moderation:Relevance:EmbeddingThreads</c>
/// and <c>Moderation:Relevance:EmbeddingPrecision</c>.
/// </summary>
[MemoryDiagnoser, Config(typeof(QuickConfig))]
public class EmbedderBenchmarks
{
    [Params(1, 2)] public int IntraOpThreads;
    [Params(EmbeddingPrecision.Int8, EmbeddingPrecision.Float32)] public EmbeddingPrecision Precision;

    private SentenceEmbedder _embedder = null!;
    private string[] _comments = null!;
    private CorpusBatchBenchmarks.CorpusArticle _article = null!;

    [GlobalSetup]
    public void Setup()
    {
        _embedder = SentenceEmbedder.CreateDefault(IntraOpThreads, Precision);
        var corpus = CorpusBatchBenchmarks.LoadCorpus();
        _article = corpus.OrderBy(a => Math.Abs(a.Body.Split(' ').Length - 800)).First();
        _comments = corpus.SelectMany(a => a.Comments).Where(c => c.Split(' ').Length is > 30 and < 90).Take(16).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Description = "Embed 16 comments one per call, a caller per core (per comment)", OperationsPerInvoke = 16)]
    public int EmbedParallel()
    {
        var vectors = new float[_comments.Length][];
        Parallel.For(0, _comments.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => vectors[i] = _embedder.Embed(_comments[i]));
        return vectors.Length;
    }

    [Benchmark(Description = "Build the profile of a ~800-word article")]
    public ArticleProfile BuildProfile() => new ArticleProfiler(_embedder).Build(_article.Title, _article.Body);
}
