namespace Moderation.Core.Relevance.Training;

/// <summary>
/// Metrics on hand-labelled comments. AUC is threshold-free (ranking on-topic above off-topic);
/// precision, recall and F1 are for DETECTING OFF-TOPIC comments (the class a moderator acts on)
/// at relevance &lt; threshold.
/// </summary>
public sealed record RelevanceMetrics(string Name, int Comments, int OffTopic, double Auc, double Precision,
    double Recall, double F1, double Threshold)
{
    public override string ToString() =>
        $"{Name,-26} n={Comments,4} offTopic={OffTopic,4}  AUC={Auc:F3}  P={Precision:F3}  R={Recall:F3}  F1={F1:F3}  (off-topic at relevance<{Threshold:F2})";

    /// <summary>Computes metrics from (relevance, onTopic) pairs.</summary>
    public static RelevanceMetrics From(string name, IReadOnlyList<(double Relevance, bool OnTopic)> rows, double threshold)
    {
        int pos = rows.Count(r => r.OnTopic), neg = rows.Count - pos;
        int tp = rows.Count(r => !r.OnTopic && r.Relevance < threshold);
        int fp = rows.Count(r => r.OnTopic && r.Relevance < threshold);
        int fn = rows.Count(r => !r.OnTopic && r.Relevance >= threshold);
        double p = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double rc = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
        return new RelevanceMetrics(name, rows.Count, neg, ComputeAuc(rows), p, rc, f1, threshold);
    }

    /// <summary>Mann–Whitney AUC with ties counted half.</summary>
    public static double ComputeAuc(IReadOnlyList<(double Score, bool Positive)> rows)
    {
        var sorted = rows.OrderBy(r => r.Score).ToArray();
        long pos = sorted.LongCount(r => r.Positive), neg = sorted.Length - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        double rankSum = 0;
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j].Score == sorted[i].Score) j++;
            double avgRank = (i + j + 1) / 2.0;           // ranks are 1-based: (i+1 .. j) averaged
            for (int k = i; k < j; k++) if (sorted[k].Positive) rankSum += avgRank;
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double)neg);
    }
}
