using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Moderation.Core.Profanity;
using Moderation.Core.Relevance;
using Moderation.Core.Scoring;

namespace Moderation.Benchmarks;

/// <summary>
/// The worker's scoring as the backlog run sees it: the 40 hand-written training articles (400–1,700 words)
/// and ~60-word comments built from their hand-written comments, one batch of 64 comments under 64 different
/// article ids (profiles decoded once, as the worker's article cache does). Lexical path (no embedder), per comment.
/// Split into its parts so a regression shows where: profanity, lexical relevance, profile decoding.
/// </summary>
[MemoryDiagnoser, Config(typeof(QuickConfig))]
public class CorpusBatchBenchmarks
{
    private const int BatchSize = 64;
    private CommentScorer _scorer = null!;
    private ProfanityScorer _profanity = null!;
    private ProfanityClassifier _classifier = null!;
    private RelevanceScorer _relevance = null!;
    private CommentToScore[] _batch = null!;
    private ArticleProfile[] _profiles = null!;
    private byte[][] _stored = null!;
    private InMemoryDocumentFrequencies _df = null!;

    [GlobalSetup]
    public void Setup()
    {
        _profanity = ProfanityScorer.CreateDefault();
        _classifier = ProfanityClassifier.LoadEmbedded();
        _relevance = RelevanceScorer.CreateDefault(null);
        _scorer = new CommentScorer(_profanity, _relevance, null);
        var articles = LoadCorpus();
        _df = new InMemoryDocumentFrequencies();
        var rng = new Random(7);
        var profiler = new ArticleProfiler(null);
        _batch = new CommentToScore[BatchSize];
        _profiles = new ArticleProfile[BatchSize];
        _stored = new byte[BatchSize][];
        for (int i = 0; i < articles.Count; i++) _df.Add(profiler.Build(articles[i].Title, articles[i].Body));
        for (int i = 0; i < BatchSize; i++)
        {
            var a = articles[i % articles.Count];
            _stored[i] = _scorer.BuildArticleProfile(a.Title, a.Body);
            _profiles[i] = ArticleProfileCodec.Decode(_stored[i]);
            var words = a.Comments[rng.Next(a.Comments.Count)].Split(' ').Concat(a.Comments[rng.Next(a.Comments.Count)].Split(' ')).Take(60);
            _batch[i] = new CommentToScore(string.Join(' ', words), new ArticleToScore($"{a.Id}-{i}", a.Title, a.Body, _stored[i]), ThreadToScore.Empty);
        }
    }

    [Benchmark(Description = "ScoreBatch 64, lexical, real articles (per comment)", OperationsPerInvoke = BatchSize)]
    public int ScoreBatch() => _scorer.ScoreBatch(_batch, _df).Count;   // the worker keeps articles and their decoded profiles across batches

    [Benchmark(Description = "Profanity score, real comments (per comment)", OperationsPerInvoke = BatchSize)]
    public double Profanity()
    {
        double s = 0;
        foreach (var c in _batch) s += _profanity.Score(c.Text).Score;
        return s;
    }

    [Benchmark(Description = "Profanity lexicon matches only, real comments (per comment)", OperationsPerInvoke = BatchSize)]
    public int ProfanityLexicon()
    {
        int n = 0;
        foreach (var c in _batch) n += _profanity.Matcher.FindMatches(c.Text).Count;
        return n;
    }

    [Benchmark(Description = "Profanity classifier only, real comments (per comment)", OperationsPerInvoke = BatchSize)]
    public double ProfanityClassifierOnly()
    {
        double s = 0;
        foreach (var c in _batch) s += _classifier.PredictProbability(c.Text);
        return s;
    }

    [Benchmark(Description = "Lexical relevance, real articles (per comment)", OperationsPerInvoke = BatchSize)]
    public double Relevance()
    {
        double s = 0;
        var df = new CombinedFrequencies(_df, BackgroundFrequencies.Embedded);
        for (int i = 0; i < BatchSize; i++) s += _relevance.ScoreLexical(_profiles[i], _batch[i].Text, ThreadContext.Empty, df).Relevance;
        return s;
    }

    [Benchmark(Description = "Decode a stored lexical profile (per article)", OperationsPerInvoke = BatchSize)]
    public int Decode()
    {
        int n = 0;
        foreach (var b in _stored) n += ArticleProfileCodec.Decode(b).WordCount;
        return n;
    }

    internal sealed record CorpusArticle(string Id, string Title, string Body, List<string> Comments);

    internal static List<CorpusArticle> LoadCorpus()
    {
        var dir = FindUp("training-data/relevance");
        var list = new List<CorpusArticle>();
        foreach (var f in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(f));
            var r = doc.RootElement;
            list.Add(new CorpusArticle(r.GetProperty("id").GetString()!, r.GetProperty("title").GetString()!, r.GetProperty("body").GetString()!,
                r.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToList()));
        }
        return list;
    }

    static string FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        throw new DirectoryNotFoundException(relative);
    }
}
