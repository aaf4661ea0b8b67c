namespace Moderation.Core.Relevance;

/// <summary>Small dense-vector helpers. All loops run in a fixed order so results are reproducible.</summary>
public static class VectorMath
{
    /// <summary>Cosine similarity; 0 when either vector is empty/zero or the lengths differ.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length == 0 || a.Length != b.Length) return 0;
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na <= 0 || nb <= 0) return 0;
        return dot / Math.Sqrt(na * nb);
    }

    internal static void AddInPlace(float[] sum, float[] v)
    {
        for (int i = 0; i < sum.Length && i < v.Length; i++) sum[i] += v[i];
    }

    internal static void NormalizeInPlace(float[] v)
    {
        double n = 0;
        foreach (var x in v) n += x * x;
        if (n <= 0) return;
        float inv = (float)(1 / Math.Sqrt(n));
        for (int i = 0; i < v.Length; i++) v[i] *= inv;
    }

    /// <summary>Mean of vectors, L2-normalised; null when there are none.</summary>
    public static float[]? MeanNormalized(IReadOnlyList<float[]> vectors)
    {
        if (vectors.Count == 0) return null;
        var sum = new float[vectors[0].Length];
        foreach (var v in vectors) AddInPlace(sum, v);
        NormalizeInPlace(sum);
        return sum;
    }

    /// <summary>Rounds every component to half precision so a profile survives the codec bit-exactly.</summary>
    internal static float[] ToHalfPrecision(float[] v)
    {
        var r = new float[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = (float)(Half)v[i];
        return r;
    }
}
