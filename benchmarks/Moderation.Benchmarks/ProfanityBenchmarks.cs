using BenchmarkDotNet.Attributes;
using Moderation.Core.Profanity;

namespace Moderation.Benchmarks;

/// <summary>
/// Profanity engine throughput. Short texts (~20 chars) report ns per text (1e9 / ns = texts/s).
/// Long texts are clean (no hit, so the whole text is scanned) and mostly ASCII; throughput is counted
/// in bytes of UTF-8 input per second: MB/s = <see cref="LongUtf8Bytes"/> / 1e6 / (mean in s).
/// Run (one core, ~4 min): <c>dotnet run -c Release --project benchmarks/Moderation.Benchmarks -- --filter '*Profanity*'
/// --affinity 2 --launchCount 1 --warmupCount 3 --iterationCount 10</c> (see docs/PROFANITY.md).
/// </summary>
[MemoryDiagnoser, MedianColumn]
public class ProfanityBenchmarks
{
    /// <summary>Both long texts are cut to exactly this many UTF-8 bytes (1 MiB).</summary>
    public const int LongUtf8Bytes = 1 << 20;

    private ProfanityMatcher _matcher = null!;
    private ProfanityScorer _lexiconScorer = null!;
    private ProfanityScorer _fullScorer = null!;
    private string[] _short = null!;
    private string _long = null!;
    private string _comments = null!;

    // Ordinary comment sentences (a few near-misses and non-ASCII characters, as in real threads).
    private static readonly string[] CommentLines =
    [
        "I read the whole article twice and I still think the author missed the point.",
        "Does anyone know when the new bus timetable starts? The website still shows the old one.",
        "My grandmother lived on that street for 40 years, it's sad to see the bakery close.",
        "Great reporting, thanks. Would love a follow-up on the council's budget in March.",
        "The risk assessment was published last month (page 12 has the numbers).",
        "We went to the café on Saturday – the queue was huge but the coffee was worth it.",
        "Honestly I don't get why people are so upset, the plan seems reasonable to me.",
        "Source for the 3.4% figure? I couldn't find it in the report.",
        "Classic arrangement, and the bass line in the second half is brilliant.",
        "Our team lost 2-1 again… the defence needs a proper shake-up before the derby.",
        "Can we please keep the comments civil? Some of these replies are getting personal.",
        "Shiitake and leek risotto is my go-to recipe on a cold evening.",
        "The concert in Scunthorpe was fair, though the sound was a bit muddy at the back.",
        "I used to work at the hospital and the night shifts were exhausting, respect to the nurses.",
        "Why is the link to the full report broken? https://example.org/reports/2024/annual.pdf",
        "Totally agree with the previous comment, the cycle lane has made the junction safer.",
        "Is the museum free on Sundays or only for residents?",
        "That photo of the harbour at sunset is stunning 👏",
        "The cocktail bar on the corner has a new menu and the staff are lovely.",
        "I think the referee got that decision right, even if nobody wants to hear it.",
        "Prices at the market went up again; a bag of apples was £3.20 this week.",
        "Could the journalist clarify whether the vote was seven to six or eight to five?",
        "Lovely piece about the allotments, my dad grew the best tomatoes on the whole site.",
        "Naïve question maybe, but who pays for the new bridge, the city or the region?",
    ];

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
        _long = Repeat(i => paragraph);
        _comments = Repeat(i => CommentLines[i % CommentLines.Length] + (i % 3 == 2 ? "\n\n" : " "));
        if (_matcher.ContainsProfanity(_long) || _matcher.ContainsProfanity(_comments))
            throw new InvalidOperationException("long benchmark texts must be clean so the whole text is scanned");
    }

    /// <summary>Concatenate pieces until exactly <see cref="LongUtf8Bytes"/> UTF-8 bytes (ASCII padding at the end).</summary>
    private static string Repeat(Func<int, string> piece)
    {
        var sb = new System.Text.StringBuilder(LongUtf8Bytes);
        int bytes = 0;
        for (int i = 0; ; i++)
        {
            var p = piece(i);
            int b = System.Text.Encoding.UTF8.GetByteCount(p);
            if (bytes + b > LongUtf8Bytes) break;
            sb.Append(p); bytes += b;
        }
        sb.Append(' ', LongUtf8Bytes - bytes);
        return sb.ToString();
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

    /// <summary>1 MiB (UTF-8) of one clean paragraph repeated, through the fast path.</summary>
    [Benchmark]
    public bool LongContains1MiB() => _matcher.ContainsProfanity(_long);

    /// <summary>1 MiB (UTF-8) of varied clean comments (punctuation, digits, a URL, a few non-ASCII characters).</summary>
    [Benchmark]
    public bool LongCommentsContains1MiB() => _matcher.ContainsProfanity(_comments);

    /// <summary>Score (lexicon only: FindMatches over the whole text) on the comments text.</summary>
    [Benchmark]
    public double LongCommentsScoreLexiconOnly() => _lexiconScorer.Score(_comments).Score;

    /// <summary>Score with the classifier (reads at most 4,000 chars) plus the full lexicon scan.</summary>
    [Benchmark]
    public double LongCommentsScoreWithClassifier() => _fullScorer.Score(_comments).Score;
}
