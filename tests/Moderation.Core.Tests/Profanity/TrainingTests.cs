using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

public class TrainingTests
{
    private static List<LabelledText> Synthetic()
    {
        var rows = new List<LabelledText>();
        string[] bad = ["fucking", "shit", "bastard", "wanker", "bollocks"], nouns = ["council", "referee", "bus", "weather", "article"];
        for (int i = 0; i < 60; i++)
        {
            rows.Add(new LabelledText($"the {nouns[i % 5]} is {bad[i % 5]} today {i}", true));
            rows.Add(new LabelledText($"the {nouns[i % 5]} is lovely today {i}", false));
        }
        return rows;
    }

    [Fact]
    public void Split_is_deterministic_and_stratified()
    {
        var (train1, test1) = ProfanityTraining.Split(Synthetic(), 42);
        var (train2, test2) = ProfanityTraining.Split(Synthetic(), 42);
        Assert.Equal(test1.Select(r => r.Text), test2.Select(r => r.Text));
        Assert.Equal(96, train1.Count);
        Assert.Equal(12, test1.Count(r => r.Profane));
        Assert.Equal(12, test1.Count(r => !r.Profane));
        Assert.Empty(train1.Select(r => r.Text).Intersect(test1.Select(r => r.Text)));
    }

    [Fact]
    public void Trains_saves_and_reloads_a_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prof-{Guid.NewGuid():N}.bin");
        try
        {
            var report = ProfanityTraining.Train(Synthetic(), path, seed: 7);
            Assert.True(File.Exists(path));
            Assert.InRange(report.Auc, 0.9, 1.0);
            using var s = File.OpenRead(path);
            using var c = ProfanityClassifier.Load(s);
            Assert.True(c.PredictProbability("the bus is fucking today") > c.PredictProbability("the bus is lovely today"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var a = Path.Combine(Path.GetTempPath(), $"prof-{Guid.NewGuid():N}.bin");
        var b = Path.Combine(Path.GetTempPath(), $"prof-{Guid.NewGuid():N}.bin");
        try
        {
            var ra = ProfanityTraining.Train(Synthetic(), a, seed: 7);
            var rb = ProfanityTraining.Train(Synthetic().AsEnumerable().Reverse(), b, seed: 7);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            Assert.Equal(ra.Auc, rb.Auc);
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [Fact]
    public void Jsonl_reader_skips_broken_lines()
    {
        Assert.Null(LabelledText.ParseLine("{\"text\": \"half"));
        Assert.Null(LabelledText.ParseLine("{\"text\": \"x\"}"));
        Assert.Equal(new LabelledText("x", true, "k"), LabelledText.ParseLine("{\"text\": \"x\", \"profane\": true, \"kind\": \"k\"}"));
    }
}
