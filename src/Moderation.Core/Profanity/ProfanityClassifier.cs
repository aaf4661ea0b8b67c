using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Core.Profanity;

internal sealed class ClassifierInput
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}

internal sealed class ClassifierOutput
{
    [ColumnName("PredictedLabel")] public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
    public float Score { get; set; }
}

/// <summary>
/// ML.NET text classifier (character + word n-grams, logistic regression) for what the lexicon misses.
/// It is trained on normalised text, so input is normalised here first (raw or already-normalised
/// text both work). Thread-safe: PredictionEngine is not, so engines are pooled per caller.
/// </summary>
public sealed class ProfanityClassifier : IDisposable
{
    public const string ResourceName = "Moderation.Core.Profanity.profanity-classifier.zip";
    private const int MaxChars = 4000; // long comments: the opening is enough for a second opinion
    private readonly MLContext _ml = new(seed: 0);
    private readonly ITransformer _model;
    private readonly ConcurrentBag<PredictionEngine<ClassifierInput, ClassifierOutput>> _pool = [];
    private bool _disposed;

    private ProfanityClassifier(Stream modelZip)
    {
        // The zip reader needs a seekable stream; resource streams are, network streams may not be.
        using var copy = new MemoryStream();
        modelZip.CopyTo(copy);
        copy.Position = 0;
        _model = _ml.Model.Load(copy, out _);
    }

    public static ProfanityClassifier Load(Stream modelZip)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        return new ProfanityClassifier(modelZip);
    }

    public static ProfanityClassifier LoadEmbedded()
    {
        using var s = typeof(ProfanityClassifier).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} not found");
        return new ProfanityClassifier(s);
    }

    /// <summary>Probability in [0,1] that the text is profane. Never throws for any string.</summary>
    public float PredictProbability(string normalisedOrRawText)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var text = normalisedOrRawText ?? "";
        if (text.Length > MaxChars) text = text[..MaxChars];
        var input = new ClassifierInput { Text = ProfanityNormalizer.Normalize(text) };
        if (input.Text.Length == 0) return 0f;
        if (!_pool.TryTake(out var engine)) engine = _ml.Model.CreatePredictionEngine<ClassifierInput, ClassifierOutput>(_model);
        try
        {
            float p = engine.Predict(input).Probability;
            return float.IsNaN(p) ? 0f : Math.Clamp(p, 0f, 1f);
        }
        finally { _pool.Add(engine); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        while (_pool.TryTake(out var e)) e.Dispose();
    }
}
