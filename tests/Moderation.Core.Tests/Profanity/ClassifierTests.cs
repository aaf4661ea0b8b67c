using System.Text;
using CsCheck;
using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

public class ClassifierTests
{
    private const string Comment =
        "I read the whole piece twice and I still think the council got this one wrong. The bus lanes were " +
        "meant to help people who cannot drive, but the new timetable leaves the estate without a service after " +
        "seven, which is when most of the night shift needs it. Somebody should ask the councillors to ride it.";

    private struct ListSink(List<int> items) : IFeatureSink
    {
        public readonly void Add(int index) => items.Add(index);
    }

    private static List<int> Features(string normalised, int wordBits = ProfanityFeatures.DefaultWordBits)
    {
        var list = new List<int>();
        var sink = new ListSink(list);
        ProfanityFeatures.Extract(normalised, wordBits, ref sink);
        return list;
    }

    [Fact]
    public void Char_ngrams_are_exact_codes_framed_by_markers_and_words_are_hashed_after_them()
    {
        var f = Features("ab");
        // chars: <s> | a, <s>a | b, ab, <s>ab | </s>, b</s>, ab</s>, <s>ab</s>  = 10; words: "ab" = 1
        Assert.Equal(11, f.Count);
        Assert.Equal(10, f.Count(ProfanityFeatures.IsChar));
        Assert.Equal(f.Count, f.Distinct().Count());
        Assert.Contains(1, f);               // "a"
        Assert.Contains(1 * 32 + 2, f);      // "ab"
        Assert.All(f.Where(i => !ProfanityFeatures.IsChar(i)), i => Assert.InRange(i, ProfanityFeatures.CharDimension, ProfanityFeatures.Dimension(ProfanityFeatures.DefaultWordBits) - 1));
        // two words: unigrams for both plus one bigram; a repeated word repeats its index
        var w = Features("ab ab").Where(i => !ProfanityFeatures.IsChar(i)).ToList();
        Assert.Equal(3, w.Count);
        Assert.Equal(w[0], w[1]);
        Assert.NotEqual(w[0], w[2]);
        Assert.True(Features(new string('a', 500)).Count <= ProfanityFeatures.MaxOccurrences(500));
        Assert.True(Features(string.Join(" ", Enumerable.Repeat("a", 300))).Count <= ProfanityFeatures.MaxOccurrences(599));
    }

    [Fact]
    public void Word_hash_is_fixed_across_processes()
    {
        // string.GetHashCode is randomised per process; our index for a word must never change (it is in the model file).
        var w = Features("fuck").Where(i => !ProfanityFeatures.IsChar(i)).Single();
        Assert.Equal(w, Features("fuck").Where(i => !ProfanityFeatures.IsChar(i)).Single());
        Assert.Equal(ExpectedIndex("fuck"), w);

        static int ExpectedIndex(string word)
        {
            uint h = 2166136261u;
            foreach (var c in word) h = (h ^ c) * 16777619u;
            h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
            return ProfanityFeatures.CharDimension + (int)(h & ((1u << ProfanityFeatures.DefaultWordBits) - 1));
        }
    }

    /// <summary>The StringBuilder renderer that Normalize used before the span version: the oracle.</summary>
    private static string ReferenceNormalize(string text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder();
        var runs = new Run[8192];
        var scanner = new RunScanner(text, runs);
        while (true)
        {
            bool done = scanner.Fill(4096);
            foreach (var run in runs.AsSpan(0, scanner.Count))
            {
                if (run.IsSep) { sb.Append(' '); continue; }
                int letters = run.Cls & CharClass.LetterBits;
                if ((run.Cls & CharClass.Digit) != 0 && text[run.Start] < 128) letters &= CharClass.Ascii[text[run.Start]]; // a digit renders as its look-alike
                char ch = (run.Cls & CharClass.Other) != 0 ? '#'
                    : letters == (CharClass.L('u') | CharClass.L('v')) ? 'v'
                    : letters != 0 ? (char)('a' + System.Numerics.BitOperations.TrailingZeroCount(letters))
                    : '*';
                sb.Append(ch);
                if (run.Count >= 2) sb.Append(ch);
            }
            if (done) break;
            scanner.Compact(scanner.Count);
        }
        return sb.ToString().TrimEnd();
    }

    [Fact]
    public void Span_normaliser_matches_the_string_one()
    {
        Gen.String.Sample(s => Assert.Equal(ReferenceNormalize(s), ProfanityNormalizer.Normalize(s)), iter: 2000);
        Gen.String[Gen.Char["ﬁ\uFB01fuck sh1t &#117; *@$ \u200B Аа"], 0, 300].Sample(s => Assert.Equal(ReferenceNormalize(s), ProfanityNormalizer.Normalize(s)), iter: 2000);
        foreach (var s in new[] { Comment, string.Concat(Enumerable.Repeat("ﬁ ", 30_000)), string.Concat(Enumerable.Repeat(Comment, 200)), new string('a', 100_000) })
            Assert.Equal(ReferenceNormalize(s), ProfanityNormalizer.Normalize(s));
    }

    [Fact]
    public void Scorer_equals_the_explicit_dot_product_of_the_training_vector()
    {
        using var embedded = ProfanityClassifier.LoadEmbedded();
        var m = embedded.Model;
        // With every n-gram in the norm, the scorer must equal w·x + b on the vector ML.NET is trained on.
        using var c = ProfanityClassifier.FromModel(m with { NormOverKnownFeatures = false });
        var weights = m.DenseWeights();
        var scratch = new List<int>();
        foreach (var raw in new[] { "you absolute f*cking muppet", Comment, "a", string.Concat(Enumerable.Repeat(Comment, 12)), "#### **** zz" })
        {
            var text = ProfanityNormalizer.Normalize(raw);
            var x = ProfanityTraining.Vectorize(text, m.WordBits, scratch);
            double score = m.Bias;
            var idx = x.GetIndices();
            var val = x.GetValues();
            for (int i = 0; i < idx.Length; i++) score += weights[idx[i]] * val[i];
            double p = 1 / (1 + Math.Exp(m.PlattSlope * score + m.PlattOffset));
            Assert.Equal(p, c.Probability(text), 4);
        }
    }

    [Fact]
    public void Scoring_does_not_allocate()
    {
        using var c = ProfanityClassifier.LoadEmbedded();
        for (int i = 0; i < 10; i++) c.PredictProbability(Comment);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) c.PredictProbability(Comment);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Long_inputs_read_only_the_opening()
    {
        using var c = ProfanityClassifier.LoadEmbedded();
        var opening = Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment + Comment;
        Assert.True(opening.Length > ProfanityClassifier.MaxChars);
        Assert.Equal(c.PredictProbability(opening[..ProfanityClassifier.MaxChars]), c.PredictProbability(opening + " fucking cunt shit"));
    }

    [Fact]
    public void Model_file_round_trips_and_rejects_garbage()
    {
        using var c = ProfanityClassifier.LoadEmbedded();
        var ms = new MemoryStream();
        c.Model.Write(ms);
        ms.Position = 0;
        using var again = ProfanityClassifier.Load(ms);
        Assert.Equal(c.PredictProbability(Comment), again.PredictProbability(Comment));
        Assert.Throws<InvalidDataException>(() => ProfanityClassifier.Load(new MemoryStream("PK\u0003\u0004 not a model"u8.ToArray())));
        var truncated = ms.ToArray()[..100];
        Assert.Throws<InvalidDataException>(() => ProfanityClassifier.Load(new MemoryStream(truncated)));
    }

    [Fact]
    public void Embedded_model_separates_obvious_cases()
    {
        using var c = ProfanityClassifier.LoadEmbedded();
        Assert.True(c.PredictProbability("you are a fucking useless piece of shit and everyone knows it") > 0.84);
        Assert.True(c.PredictProbability(Comment) < 0.5);
    }
}
