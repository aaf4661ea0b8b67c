using BenchmarkDotNet.Attributes;
using Moderation.Core.Profanity;

namespace Moderation.Benchmarks;

/// <summary>
/// Profanity engine throughput. Short texts (~20 chars) report ns per text (1e9 / ns = texts/s);
/// the long-text benchmark scans ~1 MB of comment text (MB/s = 1 / (ms per op) * 1000 * MB).
/// </summary>
[MemoryDiagnoser]
public class ProfanityBenchmarks
{
    private ProfanityMatcher _matcher = null!;
    private ProfanityScorer _lexiconScorer = null!;
    private ProfanityScorer _fullScorer = null!;
    private string[] _short = null!;
    private string _long = null!;

    [GlobalSetup]
    public void Setup()
    {
        _matcher = new ProfanityMatcher(Lexicon.LoadEmbedded());
        _lexiconScorer = new ProfanityScorer(_matcher, null);
        _fullScorer = ProfanityScorer.CreateDefault();
        _short =
        [
            "Great piece, thanks!", "I disagree with this", "what a load of crap", "Source for that claim?",
            "totally agree w/ you", "this is f*cking dumb", "see you at the game", "classic assessment!",
        ];
        var paragraph = "I read the whole article twice and I still think the author missed the point about the bass line " +
                        "and the classic arrangement; the assessment of the Scunthorpe concert was fair, though. ";
        var sb = new System.Text.StringBuilder(1 << 20);
        while (sb.Length < 1 << 20) sb.Append(paragraph);
        _long = sb.ToString();
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int ShortContains()
    {
        int n = 0;
        foreach (var s in _short) if (_matcher.ContainsProfanity(s)) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public double ShortScoreLexiconOnly()
    {
        double sum = 0;
        foreach (var s in _short) sum += _lexiconScorer.Score(s).Score;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public double ShortScoreWithClassifier()
    {
        double sum = 0;
        foreach (var s in _short) sum += _fullScorer.Score(s).Score;
        return sum;
    }

    /// <summary>1 MiB of clean comment text through the fast path.</summary>
    [Benchmark]
    public bool LongContains1MiB() => _matcher.ContainsProfanity(_long);
}
