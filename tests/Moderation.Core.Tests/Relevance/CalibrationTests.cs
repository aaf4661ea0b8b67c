using Moderation.Core.Policy;
using Moderation.Core.Relevance;
using Moderation.Core.Relevance.Training;

namespace Moderation.Core.Tests.Relevance;

public class CalibrationTests
{
    [Fact]
    public void Platt_fit_recovers_an_over_confident_score()
    {
        // Truth: P(on topic) = σ(0.5·logit(raw) − 0.3); the raw score is twice as sure as it should be.
        var rows = new List<(double, bool)>();
        var rng = new Random(5);
        for (int i = 0; i < 20_000; i++)
        {
            double z = rng.NextDouble() * 12 - 6, raw = 1 / (1 + Math.Exp(-z));
            double truth = 1 / (1 + Math.Exp(-(0.5 * z - 0.3)));
            rows.Add((raw, rng.NextDouble() < truth));
        }
        var fit = PlattCalibration.Fit(rows);
        Assert.InRange(fit.A, 0.45, 0.55);
        Assert.InRange(fit.B, -0.4, -0.2);
        Assert.True(fit.Apply(0.2) < fit.Apply(0.3), "calibration keeps the order of scores");
    }

    [Fact]
    public void Platt_fit_converges_on_a_far_too_sure_score()
    {
        // A blend of two models adds their logits: raw scores ~8× too sure, many pinned near 0 or 1. Plain Newton steps
        // from A = 1 overshoot there (the weights p(1 − p) are ~0) and ran off to A ≈ 25,000; the fit must still land.
        var rows = new List<(double, bool)>();
        var rng = new Random(11);
        for (int i = 0; i < 2_000; i++)
        {
            double z = rng.NextDouble() * 6 - 3, raw = 1 / (1 + Math.Exp(-8 * z));
            rows.Add((raw, rng.NextDouble() < 1 / (1 + Math.Exp(-z))));
        }
        var fit = PlattCalibration.Fit(rows);
        Assert.InRange(fit.A, 0.09, 0.16);   // truth 1/8
        Assert.InRange(fit.B, -0.2, 0.2);
    }

    [Fact]
    public void Platt_fit_of_one_class_is_the_identity()
    {
        Assert.Equal(PlattCalibration.Identity, PlattCalibration.Fit([(0.2, true), (0.9, true)]));
    }

    private static ScoredComment Row(double relevance, bool onTopic, int words = 20) =>
        new("a", Guid.NewGuid().ToString(), onTopic, relevance, 0, relevance < 0.5 ? RelevanceReasons.OffTopic : null, words, 0, []);

    [Fact]
    public void Threshold_choice_takes_the_most_recall_that_keeps_precision()
    {
        // 20 off-topic comments at relevance 0.05 and 20 on-topic ones at 0.3: only flags at 1 − r ≥ 0.71..0.95 are precise.
        var rows = Enumerable.Range(0, 20).Select(_ => Row(0.05, false))
            .Concat(Enumerable.Range(0, 20).Select(_ => Row(0.3, true))).ToArray();
        var chosen = FlagThresholds.Choose(rows, longWords: 80);
        Assert.Equal(0.71, chosen.OffTopic, 2);
        Assert.True(rows.Where(chosen.Flags).All(r => !r.OnTopic));
    }

    [Fact]
    public void Short_off_topic_flags_are_off_when_no_threshold_is_precise_enough()
    {
        var rows = Enumerable.Range(0, 40).Select(i => Row(0.1, i % 2 == 0)).ToArray();   // a coin toss at every score
        Assert.True(FlagThresholds.Choose(rows, longWords: 80).OffTopic > 1);
    }

    [Fact]
    public void Policy_defaults_are_the_thresholds_training_chose()
    {
        // `train relevance` writes relevance-calibration.json; the policy must flag at what it chose there.
        var calibration = RelevanceCalibration.Embedded;
        Assert.NotEqual("not calibrated", calibration.ChosenOn);
        var policy = PolicyOptions.Default();
        Assert.Equal(calibration.DefaultOffTopicFlagAt, policy.For("off_topic").FlagAt);
        Assert.Equal(calibration.OffTopicLengthFlagAt, policy.For("off_topic_length").FlagAt);
    }

    [Fact]
    public void Length_is_not_a_relevance_feature()
    {
        Assert.DoesNotContain(RelevanceFeatures.Names, n => n.Contains("word", StringComparison.OrdinalIgnoreCase)
                                                            || n.Contains("length", StringComparison.OrdinalIgnoreCase));
        // The same argument said twice scores (nearly) the same: length alone does not move relevance.
        var profile = new ArticleProfiler(null).Build(Samples.Title, Samples.Body);
        var df = new InMemoryDocumentFrequencies();
        df.Add(profile);
        var scorer = RelevanceScorer.CreateDefault(null);
        var once = scorer.Score(profile, Samples.OnTopic[0], ThreadContext.Empty, df).Relevance;
        var thrice = scorer.Score(profile, string.Join(" ", Enumerable.Repeat(Samples.OnTopic[0], 3)), ThreadContext.Empty, df).Relevance;
        Assert.True(Math.Abs(once - thrice) < 0.1, $"once {once}, three times {thrice}");
    }
}
