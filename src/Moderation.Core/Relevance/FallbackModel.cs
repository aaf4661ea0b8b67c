namespace Moderation.Core.Relevance;

/// <summary>
/// Hand-set logistic weights used only when no trained model is embedded (a fresh checkout before
/// `train relevance`). Keeps the scorer usable and monotone in the obvious features; not calibrated.
/// </summary>
internal static class FallbackModel
{
    public static double Predict(float[] f)
    {
        double z = f.Length >= RelevanceFeatures.SemanticCount
            ? -3.0 + 9.0 * f[10] + 2.0 * f[2] + 1.0 * f[3]
            : -1.5 + 4.0 * f[2] + 2.0 * f[0] + 1.5 * f[3];
        z += 1.5 * f[6] + (f[7] > 0 ? 1.0 * (f[8] - 0.5) : 0);
        return 1 / (1 + Math.Exp(-z));
    }
}
