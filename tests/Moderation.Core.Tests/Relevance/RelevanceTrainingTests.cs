using System.Text.Json;
using Moderation.Core.Relevance;
using Moderation.Core.Relevance.Training;

namespace Moderation.Core.Tests.Relevance;

/// <summary>Exercises the training pipeline on a tiny synthetic corpus written here and handed in as
/// <see cref="TrainingFile"/>s (lexical only, fast); only the models are written to a folder.</summary>
public sealed class RelevanceTrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "relevance-train-" + Guid.NewGuid().ToString("N"));
    private readonly List<TrainingFile> _files = [];

    private static TrainingFile Text(string name, string text) => new(name, () => new StringReader(text));

    private static readonly (string Topic, string Title, string Body, string[] On)[] Topics =
    [
        ("transport", "City adds night buses", "The city will add night buses on three routes. Riders and nurses asked for buses after midnight. The routes start in May.",
            ["Night buses after midnight will help nurses get home.", "Which routes get the night buses in May?", "Finally buses after midnight for shift workers."]),
        ("sport", "Rovers win the cup final", "Rovers won the cup final on penalties. The goalkeeper saved two penalties. Fans celebrated the cup in the square.",
            ["That goalkeeper saved the final for Rovers.", "Penalties again, my nerves cannot take another cup final.", "Great to see the fans celebrate the cup."]),
        ("health", "Hospital opens new maternity ward", "The hospital opened a maternity ward with twenty beds. Midwives say the ward ends long waits. Parents toured the ward.",
            ["Twenty beds in the maternity ward is still not enough midwives.", "Our midwife said the new ward cut waits a lot.", "Glad parents can tour the maternity ward first."]),
        ("science", "Telescope spots distant galaxy", "Astronomers used the telescope to spot a distant galaxy. The galaxy formed soon after the big bang. The telescope data is public.",
            ["A galaxy so soon after the big bang is amazing.", "Where can I read the telescope data on the galaxy?", "Astronomers keep pushing the telescope further."]),
        ("food", "Bakery wins bread prize", "A local bakery won the national bread prize for its sourdough. The baker uses a starter that is forty years old. Queues formed outside.",
            ["That sourdough starter is older than me, no wonder the bread won.", "The queues outside the bakery were huge this morning.", "Well deserved prize for the best sourdough in town."]),
    ];

    public RelevanceTrainingTests()
    {
        Directory.CreateDirectory(_dir);
        for (int i = 0; i < Topics.Length; i++)
        {
            var t = Topics[i];
            var other = Topics[(i + 1) % Topics.Length];
            var comments = t.On.Select((c, k) => new { id = $"c{k + 1}", text = c, onTopic = true, parentId = (string?)null })
                .Append(new { id = "c9", text = other.On[0], onTopic = false, parentId = (string?)null })
                .Append(new { id = "c10", text = "Does anyone know a good plumber for a leaking kitchen sink?", onTopic = false, parentId = (string?)"c1" })
                .ToArray();
            var json = JsonSerializer.Serialize(new { id = $"a{i}", topic = t.Topic, title = t.Title, body = t.Body, comments });
            _files.Add(Text($"a{i}.json", json));
        }
        _files.Add(Text("broken.json", "{ not json"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Split_is_by_article_and_deterministic()
    {
        var log = new StringWriter();
        var articles = TrainingData.Load(_files, log);
        Assert.Equal(5, articles.Count);                       // the broken file is skipped, and said so
        Assert.StartsWith("skipped broken.json:", log.ToString());
        var (train, test) = TrainingData.Split(articles, 42);
        var (train2, test2) = TrainingData.Split(articles.AsEnumerable().Reverse().ToArray(), 42);
        Assert.Single(test);
        Assert.Equal(test.Select(a => a.Id), test2.Select(a => a.Id));
        Assert.Empty(train.Select(a => a.Id).Intersect(test.Select(a => a.Id)));
        Assert.Equal(4, train2.Count);
    }

    [Fact]
    public void Lexical_training_writes_a_loadable_model_and_is_deterministic()
    {
        var out1 = Path.Combine(_dir, "m1");
        var out2 = Path.Combine(_dir, "m2");
        var r1 = RelevanceTraining.Train(_files, out1, seed: 7, semantic: false);
        var r2 = RelevanceTraining.Train(_files, out2, seed: 7, semantic: false);
        Assert.Equal(r1.HeldBack, r2.HeldBack);
        Assert.Equal(r1.TrainExamples, r2.TrainExamples);
        Assert.True(r1.NegativeSamples > 0);
        var metrics = Assert.Single(r1.HeldBack);
        Assert.Equal(5, metrics.Comments);                      // hand-labelled comments of the held-back article only

        using var s = File.OpenRead(Path.Combine(out1, RelevanceTraining.LexicalFile));
        var model = RelevanceModel.Load(s, RelevanceFeatures.LexicalCount);
        var scorer = new RelevanceScorer(null, null, model);
        var profile = new ArticleProfiler(null).Build(Topics[0].Title, Topics[0].Body);
        var r = scorer.Score(profile, "Night buses after midnight on three routes", ThreadContext.Empty, new InMemoryDocumentFrequencies());
        Assert.InRange(r.Relevance, 0, 1);
    }

    [Fact]
    public void Blend_adds_the_trees_logit_to_the_regressions_and_round_trips()
    {
        // Two features; the label depends on the first in a way a straight line cannot draw (on topic in the middle band).
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            float x = i / 400f, y = (i * 37 % 400) / 400f;
            return new Example([x, y], x is > 0.3f and < 0.7f, 1, 0);
        }).ToList();
        // The semantic layout: the scalar features first (what the trees read), then more (the comment vector's place).
        var wide = rows.Select(r => r with { Features = [r.Features[0], r.Features[1], .. new float[RelevanceFeatures.ScalarCount]] }).ToList();
        var lin = RelevanceTraining.FitOne(wide, RelevanceFeatures.ScalarCount + 2, seed: 3);
        var trees = RelevanceTraining.FitTrees(RelevanceTraining.Scalars(wide), RelevanceFeatures.ScalarCount, seed: 3, leaves: 4, trees: 20);
        Assert.Throws<ArgumentException>(() => RelevanceTraining.FitOne(rows, 2, seed: 3).WithTrees(trees));   // trees read a prefix
        var blend = lin.WithTrees(trees);
        static double Logit(double p) => Math.Log(p / (1 - p));
        float[] middle = [0.5f, 0.5f, .. new float[RelevanceFeatures.ScalarCount]], edge = [0.05f, 0.5f, .. new float[RelevanceFeatures.ScalarCount]];
        double expected = 1 / (1 + Math.Exp(-(Logit(lin.PredictRaw(middle)) + Logit(trees.PredictRaw(middle[..RelevanceFeatures.ScalarCount])))));
        Assert.Equal(expected, blend.PredictRaw(middle), 9);
        Assert.True(blend.PredictRaw(middle) > blend.PredictRaw(edge));   // the band the regression alone cannot see

        var path = Path.Combine(_dir, "trees.zip");
        trees.Save(path);
        using var s = File.OpenRead(path);
        var loaded = lin.WithTrees(RelevanceModel.Load(s, RelevanceFeatures.ScalarCount));
        Assert.Equal(blend.PredictRaw(middle), loaded.PredictRaw(middle), 12);
    }
}
