using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Moderation.Core.Profanity;

public sealed record TrainingReport(int TrainCount, int TestCount, double Precision, double Recall, double F1, double Auc, double Accuracy, string ModelPath);

/// <summary>
/// Trains the classifier on normalised text: FeaturizeText (word 1-2 grams + char 1-4 grams, L2 norm)
/// then L-BFGS logistic regression on one thread, so a fixed seed gives the same model every run.
/// The split is a deterministic stratified 80/20 by a stable hash of the text (not string.GetHashCode,
/// which is randomised per process); duplicate texts are dropped first so none straddles the split.
/// </summary>
public static class ProfanityTraining
{
    public static TrainingReport Train(IEnumerable<LabelledText> rows, string modelPath, int seed = 42, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (train, test) = Split(rows, seed);
        if (train.Count == 0 || train.All(r => r.Profane) || train.All(r => !r.Profane))
            throw new InvalidOperationException("Training needs both profane and clean rows.");
        var ml = new MLContext(seed);
        var trainData = ml.Data.LoadFromEnumerable(train.Select(ToInput));
        var model = BuildPipeline(ml).Fit(trainData);
        var dir = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        ml.Model.Save(model, trainData.Schema, modelPath);

        var engine = ml.Model.CreatePredictionEngine<ClassifierInput, ClassifierOutput>(model);
        var scored = test.Select(r => (r.Profane, (double)engine.Predict(ToInput(r)).Probability)).ToList();
        var report = Metrics(scored, train.Count, modelPath);
        log?.WriteLine($"train={report.TrainCount} test={report.TestCount} precision={report.Precision:F3} recall={report.Recall:F3} " +
                       $"f1={report.F1:F3} auc={report.Auc:F3} accuracy={report.Accuracy:F3} -> {modelPath}");
        return report;
    }

    internal static IEstimator<ITransformer> BuildPipeline(MLContext ml)
    {
        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = true,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = true },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var lr = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(ClassifierInput.Label),
            FeatureColumnName = "Features",
            L2Regularization = 0.05f,
            L1Regularization = 0f,
            NumberOfThreads = 1,
        };
        return ml.Transforms.Text.FeaturizeText("Features", text, nameof(ClassifierInput.Text))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(lr));
    }

    private static ClassifierInput ToInput(LabelledText r) => new() { Text = ProfanityNormalizer.Normalize(r.Text), Label = r.Profane };

    /// <summary>Stratified 80/20: within each label, rows ordered by a seeded FNV-1a hash; every 5th goes to test.</summary>
    public static (List<LabelledText> Train, List<LabelledText> Test) Split(IEnumerable<LabelledText> rows, int seed)
    {
        var unique = rows.Where(r => r.Text != null).GroupBy(r => r.Text, StringComparer.Ordinal).Select(g => g.First());
        var train = new List<LabelledText>();
        var test = new List<LabelledText>();
        foreach (var group in unique.GroupBy(r => r.Profane).OrderBy(g => g.Key))
        {
            int i = 0;
            foreach (var r in group.OrderBy(r => StableHash(r.Text, seed)).ThenBy(r => r.Text, StringComparer.Ordinal))
                (i++ % 5 == 4 ? test : train).Add(r);
        }
        return (train, test);
    }

    internal static ulong StableHash(string s, int seed)
    {
        ulong h = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var ch in s) { h ^= ch; h *= 1099511628211UL; }
        return h;
    }

    /// <summary>Precision/recall/F1 at 0.5 and ROC AUC (rank statistic, ties count half).</summary>
    internal static TrainingReport Metrics(List<(bool Label, double P)> scored, int trainCount, string modelPath)
    {
        int tp = scored.Count(s => s.Label && s.P >= 0.5), fp = scored.Count(s => !s.Label && s.P >= 0.5);
        int fn = scored.Count(s => s.Label && s.P < 0.5), tn = scored.Count - tp - fp - fn;
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        var pos = scored.Where(s => s.Label).Select(s => s.P).ToList();
        var neg = scored.Where(s => !s.Label).Select(s => s.P).OrderBy(x => x).ToArray();
        double auc = double.NaN;
        if (pos.Count > 0 && neg.Length > 0)
        {
            double sum = 0;
            foreach (var p in pos)
            {
                int below = LowerBound(neg, p), upTo = UpperBound(neg, p);
                sum += below + 0.5 * (upTo - below);
            }
            auc = sum / ((double)pos.Count * neg.Length);
        }
        double accuracy = scored.Count == 0 ? 0 : (double)(tp + tn) / scored.Count;
        return new TrainingReport(trainCount, scored.Count, precision, recall, f1, auc, accuracy, modelPath);
    }

    private static int LowerBound(double[] a, double x) { int lo = 0, hi = a.Length; while (lo < hi) { int m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; } return lo; }
    private static int UpperBound(double[] a, double x) { int lo = 0, hi = a.Length; while (lo < hi) { int m = (lo + hi) >> 1; if (a[m] <= x) lo = m + 1; else hi = m; } return lo; }
}
