using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Core.Relevance;

/// <summary>
/// A trained ML.NET binary classifier over <see cref="RelevanceFeatures"/> that outputs a
/// calibrated probability of "on topic". PredictionEngine is not thread-safe, so engines are pooled.
/// </summary>
/// <remarks>
/// The semantic model is a blend (issue 14, docs/RELEVANCE.md): the logistic regression over every feature (the comment
/// vector says what kind of text it is) plus boosted trees over the scalar features only (the cosines' and overlaps'
/// non-linear shapes and interactions a linear model cannot draw); their logits are added, then calibrated. On the
/// development sets the blend gained 0.03 AUC on the forum calibration threads and 0.014 on our own fold over the
/// regression alone; the trees alone were worse than the regression on our data.
/// </remarks>
public sealed class RelevanceModel
{
    /// <summary>Resource names of the models embedded in Moderation.Core (see Relevance/Model/).</summary>
    public const string SemanticResource = "Moderation.Core.Relevance.relevance-semantic.zip";
    public const string LexicalResource = "Moderation.Core.Relevance.relevance-lexical.zip";
    public const string SemanticTreesResource = "Moderation.Core.Relevance.relevance-semantic-trees.zip";

    internal sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Weight { get; set; } = 1;
    }

    internal sealed class Prediction
    {
        public float Probability { get; set; }
    }

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Microsoft.ML.Data.SchemaDefinition _schema;
    private readonly ConcurrentBag<PredictionEngine<Row, Prediction>> _pool = new();
    private readonly RelevanceModel? _trees;

    public int FeatureCount { get; }

    /// <summary>The trees blended in, or null. They read the first <c>Trees.FeatureCount</c> of this model's features.</summary>
    public RelevanceModel? Trees => _trees;

    /// <summary>Applied to the classifier's probability by <see cref="Predict"/> (identity until calibrated).</summary>
    public PlattCalibration Calibration { get; }

    internal RelevanceModel(MLContext ml, ITransformer model, int featureCount, PlattCalibration? calibration = null,
        RelevanceModel? trees = null)
    {
        if (trees is not null && trees.FeatureCount > featureCount)
            throw new ArgumentException("The trees must read a prefix of the model's features.", nameof(trees));
        _ml = ml;
        _model = model;
        FeatureCount = featureCount;
        Calibration = calibration ?? PlattCalibration.Identity;
        _schema = Schema(featureCount);
        _trees = trees;
    }

    /// <summary>The same classifier with another calibration.</summary>
    public RelevanceModel WithCalibration(PlattCalibration calibration) => new(_ml, _model, FeatureCount, calibration, _trees);

    /// <summary>The same classifier blended with trees over a prefix of its features (logits added; uncalibrated
    /// trees: the blend is calibrated as a whole).</summary>
    public RelevanceModel WithTrees(RelevanceModel? trees) => new(_ml, _model, FeatureCount, Calibration, trees);

    internal static SchemaDefinition Schema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    public static RelevanceModel Load(Stream zip, int featureCount)
    {
        // Make sure the FastTree assembly is loaded before ML.NET looks for the model's loaders.
        _ = typeof(Microsoft.ML.Trainers.FastTree.FastTreeBinaryModelParameters).Assembly;
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(zip, out _);
        return new RelevanceModel(ml, model, featureCount);
    }

    /// <summary>Loads an embedded model of Moderation.Core, or null when it was not trained/embedded.</summary>
    /// <remarks>A resource that fails to load also gives null (the scorer then uses its fallback);
    /// <see cref="RelevanceScorer.UsesTrainedModels"/> tells a health check which case applies.</remarks>
    public static RelevanceModel? LoadEmbedded(string resourceName, int featureCount, string? treesResource = null, int treeFeatureCount = 0)
    {
        using var s = typeof(RelevanceModel).Assembly.GetManifestResourceStream(resourceName);
        if (s is null) return null;
        try
        {
            var model = Load(s, featureCount);
            if (treesResource is null) return model;
            using var t = typeof(RelevanceModel).Assembly.GetManifestResourceStream(treesResource);
            // Without its trees the regression alone is a different (uncalibrated-for) model: no model at all is clearer.
            return t is null ? null : model.WithTrees(Load(t, treeFeatureCount));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException)
        {
            return null;
        }
    }

    public void Save(string path)
    {
        using var f = File.Create(path);
        var view = _ml.Data.LoadFromEnumerable(Array.Empty<Row>(), _schema);
        _ml.Model.Save(_model, view.Schema, f);
    }

    /// <summary>Calibrated probability that the comment is on topic.</summary>
    public double Predict(float[] features) => Calibration.Apply(PredictRaw(features));

    /// <summary>The classifier's own probability (blended with the trees' when there are trees), before calibration.</summary>
    public double PredictRaw(float[] features)
    {
        double p = PredictOne(features);
        if (_trees is null) return p;
        double q = _trees.PredictOne(features.AsSpan(0, _trees.FeatureCount).ToArray());
        return 1 / (1 + Math.Exp(-(Logit(p) + Logit(q))));
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    private double PredictOne(float[] features)
    {
        if (!_pool.TryTake(out var engine))
            engine = _ml.Model.CreatePredictionEngine<Row, Prediction>(_model, inputSchemaDefinition: _schema);
        try
        {
            var p = engine.Predict(new Row { Features = features });
            return float.IsFinite(p.Probability) ? Math.Clamp(p.Probability, 0, 1) : 0.5;
        }
        finally { _pool.Add(engine); }
    }
}
