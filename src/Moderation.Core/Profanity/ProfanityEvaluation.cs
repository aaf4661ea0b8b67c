using System.Text.Json;

namespace Moderation.Core.Profanity;

public sealed record EvaluationRow(int Line, string Text, bool Expected, bool Predicted, double Score, string? Kind, IReadOnlyList<ProfanityMatch> Matches);

public sealed record EvaluationReport(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives, IReadOnlyList<EvaluationRow> Rows)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public IEnumerable<EvaluationRow> Errors => Rows.Where(r => r.Expected != r.Predicted);
}

/// <summary>Runs a scorer over labelled rows: P/R/F1, error lists and a per-row verdict file.</summary>
public static class ProfanityEvaluation
{
    public static EvaluationReport Evaluate(ProfanityScorer scorer, IEnumerable<LabelledText> rows, double threshold = ProfanityResult.Threshold)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        var list = new List<EvaluationRow>();
        int tp = 0, fp = 0, fn = 0, tn = 0, line = 0;
        foreach (var r in rows)
        {
            line++;
            var res = scorer.Score(r.Text);
            bool predicted = res.Score >= threshold;
            if (predicted && r.Profane) tp++; else if (predicted) fp++; else if (r.Profane) fn++; else tn++;
            list.Add(new EvaluationRow(line, r.Text, r.Profane, predicted, res.Score, r.Kind, res.Matches));
        }
        return new EvaluationReport(tp, fp, fn, tn, list);
    }

    public static EvaluationReport EvaluateFile(ProfanityScorer scorer, TrainingFile jsonl) => Evaluate(scorer, LabelledText.ReadJsonl(jsonl));

    /// <summary>One {"verdict": bool} line per row, in input order (the peers harness format).</summary>
    public static void WriteVerdicts(EvaluationReport report, TextWriter writer)
    {
        foreach (var r in report.Rows) writer.WriteLine(r.Predicted ? "{\"verdict\": true}" : "{\"verdict\": false}");
    }

    public static void Print(EvaluationReport report, TextWriter w, bool listErrors = true)
    {
        w.WriteLine($"rows={report.Rows.Count} precision={report.Precision:F3} recall={report.Recall:F3} f1={report.F1:F3} " +
                    $"TP={report.TruePositives} FP={report.FalsePositives} FN={report.FalseNegatives} TN={report.TrueNegatives}");
        if (!listErrors) return;
        foreach (var r in report.Errors)
        {
            var label = r.Expected ? "FN" : "FP";
            var terms = string.Join(",", r.Matches.Select(m => m.Term));
            w.WriteLine($"  {label} line {r.Line} score={r.Score:F3} kind={r.Kind ?? "-"} terms=[{terms}] {JsonSerializer.Serialize(r.Text)}");
        }
    }
}
