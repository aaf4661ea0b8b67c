using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Data;

namespace Moderation.Core.Profanity;

public sealed record TrainingReport(int TrainCount, int TestCount, double Precision, double Recall, double F1, double Auc, double Accuracy, string ModelPath);

/// <summary>Training settings (the levers; judge them on the held-back split only, never on the conformance set).</summary>
/// <param name="WordBits">Hash space of the word 1-2 grams: 2^WordBits buckets.</param>
/// <param name="L2">L-BFGS L2 regularisation.</param>
/// <param name="NormOverKnownFeatures">At scoring time, leave n-grams that have no trained weight out of the L2 norm
/// (as FeaturizeText's dictionary dropped n-grams unseen in training); they never count in the dot product.</param>
public sealed record ProfanityTrainingOptions(int WordBits = ProfanityFeatures.DefaultWordBits, float L2 = 0.05f, bool NormOverKnownFeatures = true);

/// <summary>
/// Trains the classifier on normalised text: our own <see cref="ProfanityFeatures"/> (character 1-4 grams +
/// hashed word 1-2 grams, counts, L2 per block) as a sparse vector column, then ML.NET's L-BFGS logistic
/// regression on one thread, so a fixed seed gives the same model every run. The weights, bias and Platt
/// calibrator are written as a small binary file (<see cref="ProfanityModelFile"/>) that
/// <see cref="ProfanityClassifier"/> scores with its own sparse dot product; the held-back metrics are computed
/// with that same classifier.
/// The split is a deterministic stratified 80/20 by a stable hash of the text (not string.GetHashCode,
/// which is randomised per process); duplicate texts are dropped first so none straddles the split.
/// </summary>
public static class ProfanityTraining
{
    public static TrainingReport Train(IEnumerable<LabelledText> rows, string modelPath, int seed = 42, TextWriter? log = null)
        => Train(rows, modelPath, new ProfanityTrainingOptions(), seed, log);

    public static TrainingReport Train(IEnumerable<LabelledText> rows, string modelPath, ProfanityTrainingOptions options, int seed = 42, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var (train, test) = Split(rows, seed);
        if (train.Count == 0 || train.All(r => r.Profane) || train.All(r => !r.Profane))
            throw new InvalidOperationException("Training needs both profane and clean rows.");
        var model = Fit(train, options, seed);
        var dir = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using (var f = File.Create(modelPath)) model.Write(f);

        using var classifier = ProfanityClassifier.FromModel(model);
        var scored = test.Select(r => (r.Profane, (double)classifier.Probability(ProfanityNormalizer.Normalize(r.Text)))).ToList();
        var report = Metrics(scored, train.Count, modelPath);
        log?.WriteLine($"train={report.TrainCount} test={report.TestCount} precision={report.Precision:F3} recall={report.Recall:F3} " +
                       $"f1={report.F1:F3} auc={report.Auc:F3} accuracy={report.Accuracy:F3} word-bits={options.WordBits} l2={options.L2} " +
                       $"norm-known={options.NormOverKnownFeatures} weights={model.Indices.Length} -> {modelPath}");
        return report;
    }

    private sealed class FeatureRow
    {
        public bool Label { get; set; }
        public VBuffer<float> Features { get; set; }
    }

    private sealed class ScoredRow
    {
        public float Probability { get; set; }
    }

    internal static ProfanityModelFile Fit(List<LabelledText> train, ProfanityTrainingOptions options, int seed)
    {
        int dim = ProfanityFeatures.Dimension(options.WordBits);
        var scratch = new List<int>();
        var normalised = train.Select(r => ProfanityNormalizer.Normalize(r.Text)).ToList();
        var rows = train.Select((r, i) => new FeatureRow { Label = r.Profane, Features = Vectorize(normalised[i], options.WordBits, scratch) }).ToList();
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var lr = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            L2Regularization = options.L2,
            L1Regularization = 0f,
            NumberOfThreads = 1,
        };
        var transformer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(lr).Fit(data);
        var linear = transformer.Model.SubModel;
        var platt = transformer.Model.Calibrator;
        var weights = linear.Weights;
        var idx = new List<int>();
        var val = new List<float>();
        for (int i = 0; i < weights.Count; i++)
            if (weights[i] != 0f) { idx.Add(i); val.Add(weights[i]); }
        var model = new ProfanityModelFile(options.WordBits, options.NormOverKnownFeatures, linear.Bias, (float)platt.Slope, (float)platt.Offset,
                                           idx.ToArray(), val.ToArray());

        // Our scorer must agree with ML.NET's own prediction on rows whose n-grams are all known (training rows).
        var sample = rows.Take(50).ToList();
        var expected = ml.Data.CreateEnumerable<ScoredRow>(transformer.Transform(ml.Data.LoadFromEnumerable(sample, schema)), reuseRowObject: false)
            .Select(s => s.Probability).ToList();
        using var classifier = ProfanityClassifier.FromModel(model);
        for (int i = 0; i < sample.Count; i++)
        {
            float ours = classifier.Probability(normalised[i]);
            if (Math.Abs(ours - expected[i]) > 1e-3f)
                throw new InvalidOperationException($"scorer disagrees with ML.NET on training row {i}: {ours} vs {expected[i]}");
        }
        return model;
    }

    private struct CollectSink(List<int> items) : IFeatureSink
    {
        public readonly void Add(int index) => items.Add(index);
    }

    /// <summary>Counts per feature, each block (characters, words) L2-normalised: the vector ML.NET trains on.</summary>
    internal static VBuffer<float> Vectorize(string normalised, int wordBits, List<int> scratch)
    {
        scratch.Clear();
        var sink = new CollectSink(scratch);
        ProfanityFeatures.Extract(normalised, wordBits, ref sink);
        scratch.Sort();
        var indices = new List<int>();
        var counts = new List<float>();
        double sqChar = 0, sqWord = 0;
        for (int i = 0; i < scratch.Count;)
        {
            int j = i;
            while (j < scratch.Count && scratch[j] == scratch[i]) j++;
            int c = j - i;
            indices.Add(scratch[i]);
            counts.Add(c);
            if (ProfanityFeatures.IsChar(scratch[i])) sqChar += (double)c * c; else sqWord += (double)c * c;
            i = j;
        }
        var values = new float[counts.Count];
        for (int k = 0; k < values.Length; k++)
            values[k] = (float)(counts[k] / Math.Sqrt(ProfanityFeatures.IsChar(indices[k]) ? sqChar : sqWord));
        return new VBuffer<float>(ProfanityFeatures.Dimension(wordBits), values.Length, values, indices.ToArray());
    }

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
