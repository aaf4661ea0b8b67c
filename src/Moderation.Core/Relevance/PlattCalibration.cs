using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Core.Relevance;

/// <summary>
/// Platt scaling: calibrated = σ(A · logit(raw) + B), fitted by <see cref="Fit"/> on real labelled replies the
/// model never trained on (the forum calibration split, docs/RELEVANCE.md), so that "relevance 0.2" means about
/// one in five such comments is on topic. Platt rather than isotonic: two parameters fit reliably on ~1,400 rows
/// and keep the score strictly monotone (no ties that would flatten the queue's order).
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    public static PlattCalibration Identity { get; } = new(1, 0);

    public double Apply(double raw)
    {
        double p = Math.Clamp(raw, 1e-6, 1 - 1e-6);
        double z = A * Math.Log(p / (1 - p)) + B;
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Fits A and B by Newton's method on the log-loss, with Platt's smoothed targets
    /// ((n₊ + 1)/(n₊ + 2), 1/(n₋ + 2)) against over-confidence on a small set, and a backtracking line search (Lin, Lin
    /// and Weng 2007): a score far too sure (a blend of two models adds their logits) pins p(1 − p) near 0 at the start,
    /// and a plain Newton step from there overshoots without end.</summary>
    public static PlattCalibration Fit(IReadOnlyList<(double Raw, bool Positive)> rows)
    {
        int pos = rows.Count(r => r.Positive), neg = rows.Count - pos;
        if (pos == 0 || neg == 0) return Identity;
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
        var x = rows.Select(r => Math.Log(Math.Clamp(r.Raw, 1e-6, 1 - 1e-6) / (1 - Math.Clamp(r.Raw, 1e-6, 1 - 1e-6)))).ToArray();
        var t = rows.Select(r => r.Positive ? hi : lo).ToArray();
        double Loss(double a, double b)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double z = a * x[i] + b;   // −[t log σ(z) + (1 − t) log(1 − σ(z))], written to stay finite for any z
                f += z >= 0 ? (1 - t[i]) * z + Math.Log(1 + Math.Exp(-z)) : -t[i] * z + Math.Log(1 + Math.Exp(z));
            }
            return f;
        }
        double a = 1, b = 0, loss = Loss(a, b);
        for (int iter = 0; iter < 100; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (int i = 0; i < x.Length; i++)
            {
                double p = 1 / (1 + Math.Exp(-(a * x[i] + b)));
                double d = p - t[i], w = p * (1 - p);
                ga += d * x[i]; gb += d;
                haa += w * x[i] * x[i]; hab += w * x[i]; hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (Math.Abs(det) < 1e-12) break;
            double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
            double step = 1, next = Loss(a - da, b - db);
            while (next > loss + 1e-4 * step * -(ga * da + gb * db) && step > 1e-10)   // Armijo: must go downhill enough
            {
                step /= 2;
                next = Loss(a - step * da, b - step * db);
            }
            if (step <= 1e-10) break;
            a -= step * da; b -= step * db; loss = next;
            if (step * (Math.Abs(da) + Math.Abs(db)) < 1e-9) break;
        }
        return new PlattCalibration(Math.Round(a, 6), Math.Round(b, 6));
    }
}

/// <summary>
/// What `train relevance` decided from the forum calibration split, shipped beside the models
/// (Relevance/Model/relevance-calibration.json): the Platt parameters of each model and the flag thresholds
/// chosen for a flag precision of at least 0.8. The policy's defaults must equal these (a test holds them).
/// </summary>
/// <param name="OffTopicFlagAt">The off_topic threshold that reached 0.8 precision on short calibration comments.</param>
/// <param name="ShortOffTopicFlagsOn">Whether that threshold ALSO kept 0.8 precision on the real held-back split (its
/// one use: a pass/fail check, never a choice of value). When false, short off-topic flags are off by default and
/// <see cref="OffTopicFlagAt"/> is what a site that wants them sets (<c>reasons.off_topic.flagAt</c>).</param>
/// <param name="OffTopicLengthFlagAt">The off_topic_length threshold, chosen with short flags as they ship.</param>
public sealed record RelevanceCalibration(
    PlattCalibration Semantic,
    PlattCalibration Lexical,
    double OffTopicFlagAt,
    bool ShortOffTopicFlagsOn,
    double OffTopicLengthFlagAt,
    string ChosenOn)
{
    public const string FileName = "relevance-calibration.json";
    public const string Resource = "Moderation.Core.Relevance.relevance-calibration.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RelevanceCalibration Uncalibrated { get; } =
        new(PlattCalibration.Identity, PlattCalibration.Identity, 0.75, true, 0.5, "not calibrated");

    /// <summary>The off_topic flagAt the policy ships with: the chosen threshold, or 2.0 (never) when short flags are off.</summary>
    [JsonIgnore] public double DefaultOffTopicFlagAt => ShortOffTopicFlagsOn ? OffTopicFlagAt : 2.0;

    private static readonly Lazy<RelevanceCalibration> EmbeddedValue = new(() =>
    {
        using var s = typeof(RelevanceCalibration).Assembly.GetManifestResourceStream(Resource);
        return s is null ? Uncalibrated : JsonSerializer.Deserialize<RelevanceCalibration>(s, Json) ?? Uncalibrated;
    });

    /// <summary>The calibration embedded in Moderation.Core, or <see cref="Uncalibrated"/> before the first training.</summary>
    public static RelevanceCalibration Embedded => EmbeddedValue.Value;

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static RelevanceCalibration Load(Stream json) =>
        JsonSerializer.Deserialize<RelevanceCalibration>(json, Json) ?? Uncalibrated;
}
