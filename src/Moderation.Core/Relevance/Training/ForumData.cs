using System.Text.Json;

namespace Moderation.Core.Relevance.Training;

/// <summary>Which part of the real forum data a thread belongs to.</summary>
public enum ForumSplit { Train, Calibration, HeldBack }

/// <summary>
/// Real, human-labelled replies nobody on this project wrote: SemEval-2016 Task 3 (Qatar Living forum), handed in
/// by the CLI (from <c>../shared/data/relevance/semeval2016-task3-train-part2.jsonl</c>) at training and evaluation time and
/// never copied into the repository. Each question thread becomes one "article" (subject = title, question =
/// body) with its replies in forum order; <c>Good</c> = on topic, <c>Bad</c> = off topic, <c>PotentiallyUseful</c>
/// stays in the thread as context but is never a training row or a metric row.
/// <para>The split is by THREAD, from a hash of the thread id with a fixed salt (not the training seed), so it is
/// fixed once: ½ train, ¼ calibration (Platt scaling and flag thresholds: a development set), ¼ held back
/// (touched by no training, tuning or threshold choice; only ever reported).</para>
/// </summary>
public static class ForumData
{
    private const string Salt = "semeval2016-thread-split-v1";

    private sealed record Row(string ThreadId, string QuestionSubject, string QuestionBody, string CommentId,
        int Position, string Text, string Label);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static ForumSplit SplitOf(string threadId)
    {
        ulong h = TrainingData.StableHash(0, Salt + ":" + threadId) % 4;
        return h switch { 0 => ForumSplit.HeldBack, 1 => ForumSplit.Calibration, _ => ForumSplit.Train };
    }

    /// <summary>Every thread of the file, ordered by thread id; replies by position.</summary>
    public static List<(TrainingArticle Thread, ForumSplit Split)> Load(TrainingFile file)
    {
        var rows = file.Lines().Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Row>(l, Json)!)
            .Where(r => r is { ThreadId: not null, Text: not null, Label: not null });
        return rows.GroupBy(r => r.ThreadId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var comments = g.OrderBy(r => r.Position).Select(r => new TrainingComment(r.CommentId, r.Text,
                    OnTopic: r.Label == "Good", ParentId: null, Unlabelled: r.Label is not ("Good" or "Bad"))).ToArray();
                var article = new TrainingArticle(g.Key, "forum", first.QuestionSubject ?? "", first.QuestionBody ?? "", comments);
                return (article, SplitOf(g.Key));
            })
            .ToList();
    }
}
