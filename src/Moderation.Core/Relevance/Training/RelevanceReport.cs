using System.Globalization;

namespace Moderation.Core.Relevance.Training;

/// <summary>The flag thresholds the service uses for the two relevance reasons (policy <c>flagAt</c> values).</summary>
/// <param name="OffTopic">off_topic flags when 1 − relevance ≥ this (above 1: never).</param>
/// <param name="OffTopicLength">off_topic_length flags when offTopicLength ≥ this.</param>
public sealed record FlagThresholds(double OffTopic, double OffTopicLength)
{
    /// <summary>True when the service would queue the comment for a relevance reason.</summary>
    public bool Flags(ScoredComment r) => r.Reason switch
    {
        RelevanceReasons.OffTopicLength => r.OffTopicLength >= OffTopicLength,
        RelevanceReasons.OffTopic => 1 - r.Relevance >= OffTopic,
        _ => false,
    };

    /// <summary>
    /// Chooses the lowest thresholds (most recall) whose flags are at least <paramref name="precision"/> precise on
    /// <paramref name="rows"/> — a DEVELOPMENT set (the forum calibration split), never the held-back one. Short
    /// comments first (off_topic on comments under <paramref name="longWords"/> words): where no threshold reaches
    /// the precision with at least <paramref name="minFlags"/> flags, short off-topic flags are off (2.0). Then
    /// off_topic_length on long comments, given the short threshold (a long comment below the length score falls
    /// back to off_topic).
    /// </summary>
    public static FlagThresholds Choose(IReadOnlyList<ScoredComment> rows, int longWords, double precision = 0.8, int minFlags = 10) =>
        ChooseLong(rows, ChooseShort(rows, longWords, precision, minFlags), longWords, precision, minFlags);

    /// <summary>The lowest off_topic threshold whose flags on short comments reach the precision (2.0 = off when none).</summary>
    public static double ChooseShort(IReadOnlyList<ScoredComment> rows, int longWords, double precision = 0.8, int minFlags = 10)
    {
        var shortRows = rows.Where(r => r.Words < longWords).ToArray();
        foreach (var t in Grid)
        {
            var (p, n) = Precision(shortRows, new FlagThresholds(t, 2.0));
            if (n >= minFlags && p >= precision) return t;
        }
        return 2.0;
    }

    /// <summary>Given the off_topic threshold, the lowest off_topic_length threshold whose flags on long comments reach
    /// the precision; 0.5 when none does (a long rant about something else must still reach the queue).</summary>
    public static FlagThresholds ChooseLong(IReadOnlyList<ScoredComment> rows, double offTopic, int longWords, double precision = 0.8, int minFlags = 10)
    {
        var longRows = rows.Where(r => r.Words >= longWords).ToArray();
        foreach (var t in Grid)
        {
            var (p, n) = Precision(longRows, new FlagThresholds(offTopic, t));
            if (n >= Math.Max(3, minFlags / 2) && p >= precision) return new FlagThresholds(offTopic, t);
        }
        return new FlagThresholds(offTopic, 0.5);
    }

    private static readonly double[] Grid = Enumerable.Range(50, 50).Select(i => i / 100.0).ToArray();

    /// <summary>Precision of the off_topic flags on short comments (null when nothing is flagged).</summary>
    public double? ShortPrecision(IReadOnlyList<ScoredComment> rows, int longWords)
    {
        var (p, n) = Precision(rows.Where(r => r.Words < longWords).ToArray(), this with { OffTopicLength = 2.0 });
        return n == 0 ? null : p;
    }

    private static (double Precision, int Flagged) Precision(IReadOnlyList<ScoredComment> rows, FlagThresholds t)
    {
        var flagged = rows.Where(t.Flags).ToArray();
        return (flagged.Length == 0 ? 0 : flagged.Count(r => !r.OnTopic) / (double)flagged.Length, flagged.Length);
    }
}

/// <summary>
/// The guard `eval relevance` and `train relevance` print for each data set: ROC AUC of the shipped score and of every
/// single feature, and precision / recall / F1 of the service's actual flags, by length and by shared vocabulary.
/// </summary>
public static class RelevanceReport
{
    public static readonly (string Name, int Min, int Max)[] LengthBuckets =
        [("< 30 words", 0, 29), ("30–80", 30, 79), ("80–300", 80, 299), ("> 300", 300, int.MaxValue)];

    public static double Auc(IEnumerable<ScoredComment> rows, Func<ScoredComment, double> score) =>
        RelevanceMetrics.ComputeAuc(rows.Select(r => (score(r), r.OnTopic)).ToArray());

    /// <summary>Best single scalar feature by AUC (features that are constant on these rows are skipped).</summary>
    public static (string Name, double Auc) BestFeature(IReadOnlyList<ScoredComment> rows)
    {
        return FeatureAucs(rows).OrderByDescending(x => x.Auc).FirstOrDefault(("-", double.NaN));
    }

    public static IEnumerable<(string Name, double Auc)> FeatureAucs(IReadOnlyList<ScoredComment> rows)
    {
        for (int i = 0; i < RelevanceFeatures.ScalarCount; i++)
        {
            int k = i;
            if (rows.Select(r => r.Features.Length > k ? r.Features[k] : 0f).Distinct().Take(2).Count() < 2) continue;
            yield return (RelevanceFeatures.Names[k], Auc(rows, r => r.Features.Length > k ? r.Features[k] : 0));
        }
    }

    public static void Print(string title, IReadOnlyList<ScoredComment> rows, FlagThresholds flags, TextWriter w, bool features = true)
    {
        var inv = CultureInfo.InvariantCulture;
        int off = rows.Count(r => !r.OnTopic);
        int embedded = rows.Count(r => r.Embedded);
        w.WriteLine($"== {title}: {rows.Count} labelled comments, {off} off-topic ({100.0 * off / Math.Max(1, rows.Count):F0} %), {100.0 * embedded / Math.Max(1, rows.Count):F0} % embedded");
        double auc = Auc(rows, r => r.Relevance);
        var best = BestFeature(rows);
        w.WriteLine(string.Format(inv, "   shipped relevance AUC {0:F3}; best single feature {1} {2:F3} ({3})", auc, best.Name, best.Auc,
            auc >= best.Auc - 0.01 ? "model holds" : "MODEL IS WORSE THAN ITS BEST FEATURE"));
        if (features)
            w.WriteLine("   feature AUCs: " + string.Join(", ", FeatureAucs(rows).Select(x => string.Format(inv, "{0} {1:F3}", x.Name, x.Auc))));
        w.WriteLine(string.Format(inv, "   flags at the service's thresholds (off_topic flagAt {0}, off_topic_length flagAt {1}):",
            flags.OffTopic > 1 ? "off" : flags.OffTopic.ToString("0.00", inv), flags.OffTopicLength.ToString("0.00", inv)));
        Line("all", rows);
        foreach (var (name, min, max) in LengthBuckets) Line(name, rows.Where(r => r.Words >= min && r.Words <= max).ToArray());
        Line("≤ 1 shared word", rows.Where(r => r.SharedTerms <= 1).ToArray());
        Line("< 30 words, ≤ 1 shared", rows.Where(r => r.SharedTerms <= 1 && r.Words < 30).ToArray());

        void Line(string name, IReadOnlyList<ScoredComment> part)
        {
            int n = part.Count, neg = part.Count(r => !r.OnTopic);
            int tp = part.Count(r => !r.OnTopic && flags.Flags(r)), fp = part.Count(r => r.OnTopic && flags.Flags(r));
            double p = tp + fp == 0 ? double.NaN : (double)tp / (tp + fp), rc = neg == 0 ? double.NaN : (double)tp / neg;
            double f1 = double.IsNaN(p) || double.IsNaN(rc) || p + rc == 0 ? double.NaN : 2 * p * rc / (p + rc);
            double onFlagged = n - neg == 0 ? double.NaN : (double)fp / (n - neg);
            w.WriteLine(string.Format(inv, "     {0,-24} n={1,5} off={2,5}  AUC={3,6:F3}  flagged={4,4}  P={5,5:F2}  R={6,5:F2}  F1={7,5:F2}  on-topic flagged={8,6:P1}",
                name, n, neg, Auc(part, r => r.Relevance), tp + fp, p, rc, f1, onFlagged));
        }
    }
}
