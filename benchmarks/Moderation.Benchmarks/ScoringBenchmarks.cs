using BenchmarkDotNet.Attributes;
using Moderation.Core.Profanity;
using Moderation.Core.Relevance;
using Moderation.Core.Scoring;

namespace Moderation.Benchmarks;

/// <summary>
/// The worker's per-comment scoring for ~60-word comments, whole pipeline (profanity + relevance + evidence)
/// through <see cref="CommentScorer"/>: lexical only, with embeddings one at a time, and a batch of 32 through
/// <see cref="CommentScorer.ScoreBatch"/> (embeddings batched and gated). Profanity alone on the same text.
/// </summary>
[MemoryDiagnoser, Config(typeof(QuickConfig))]
public class ScoringBenchmarks
{
    private const string Comment =
        "I ride the number 14 bus home from the hospital after night shifts, and if the council cuts the late routes " +
        "I will have to walk forty minutes in the dark. The budget debate keeps treating buses as a luxury, but for " +
        "nurses and cleaners on the east side they are the only way to get to work at all.";

    private static readonly string[] Others =
    [
        "Honestly the real problem in this country is the price of petrol and nobody in government will say it. My bill went up again and the energy companies keep their bonuses while we pay more every single month for less.",
        "Great article, thanks for covering this. The library cuts on Sundays hurt families the most, and a tax rise of 3.4 per cent is steep when the bus routes are being cut at the same time as the hours.",
        "Did anyone watch the match last night? Absolute shambles from the referee, I have never seen a worse penalty decision in thirty years of going to the ground every other Saturday with my dad.",
        "The council has been wasting money for years on consultants and then tells us there is nothing left for buses at night. Shift workers pay the same tax as everyone else and deserve a way home.",
    ];

    private const string Title = SampleArticle.Title;
    private static readonly string Body = SampleArticle.Body;

    private SentenceEmbedder _embedder = null!;
    private CommentScorer _lexical = null!, _semantic = null!;
    private ArticleToScore _lexicalArticle = null!, _semanticArticle = null!;
    private ProfanityScorer _profanity = null!;
    private InMemoryDocumentFrequencies _terms = null!;
    private CommentToScore[] _batch = null!, _lexicalBatch = null!;


    [GlobalSetup]
    public void Setup()
    {
        _embedder = SentenceEmbedder.CreateDefault();
        _profanity = ProfanityScorer.CreateDefault();
        _lexical = new CommentScorer(_profanity, RelevanceScorer.CreateDefault(null), null);
        _semantic = new CommentScorer(_profanity, RelevanceScorer.CreateDefault(_embedder), _embedder);
        _lexicalArticle = new ArticleToScore("a", Title, Body, _lexical.BuildArticleProfile(Title, Body));
        _semanticArticle = new ArticleToScore("a", Title, Body, _semantic.BuildArticleProfile(Title, Body));
        var df = new InMemoryDocumentFrequencies();
        df.Add(new ArticleProfiler(null).Build(Title, Body));
        df.Add(new ArticleProfiler(null).Build("Storm knocks out power", "A storm cut power to thousands of homes."));
        _terms = df;
        var texts = Enumerable.Range(0, 32).Select(i => (i % 5 == 0 ? Comment : Others[i % Others.Length]) + $" ({i})").ToArray();
        _batch = texts.Select(t => new CommentToScore(t, _semanticArticle, ThreadToScore.Empty)).ToArray();
        _lexicalBatch = texts.Select(t => new CommentToScore(t, _lexicalArticle, ThreadToScore.Empty)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    [Benchmark(Description = "Profanity score, 60 words")]
    public double Profanity() => _profanity.Score(Comment).Score;

    [Benchmark(Description = "CommentScorer.Score, lexical, 60 words")]
    public ScoreResult ScoreLexical() => _lexical.Score(Comment, _lexicalArticle, ThreadToScore.Empty, _terms);

    [Benchmark(Description = "CommentScorer.Score, embeddings, 60 words")]
    public ScoreResult ScoreSemantic() => _semantic.Score(Comment, _semanticArticle, ThreadToScore.Empty, _terms);

    [Benchmark(Description = "CommentScorer.ScoreBatch 32, lexical", OperationsPerInvoke = 32)]
    public int ScoreBatchLexical() => _lexical.ScoreBatch(_lexicalBatch, _terms).Count;

    [Benchmark(Description = "CommentScorer.ScoreBatch 32, embeddings (gated, batched)", OperationsPerInvoke = 32)]
    public int ScoreBatchSemantic() => _semantic.ScoreBatch(_batch, _terms).Count;
}
