using System.Text.Json;
using Moderation.Core.Relevance.Training;

namespace Moderation.Core.Tests.Relevance;

/// <summary>The real-data loader on a small text written here and handed in as a <see cref="TrainingFile"/>
/// (the real file is opened only by the CLI).</summary>
public sealed class ForumDataTests
{
    private readonly TrainingFile _file;

    public ForumDataTests()
    {
        var labels = new[] { "Good", "Bad", "PotentiallyUseful" };
        var lines = from t in Enumerable.Range(0, 200)
                    from c in Enumerable.Range(1, 4)
                    select JsonSerializer.Serialize(new
                    {
                        threadId = $"Q{t}", questionSubject = $"Question {t}", questionBody = "Where can I renew a driving licence?",
                        commentId = $"Q{t}_C{c}", position = 5 - c, text = $"reply {c}", label = labels[(t + c) % 3],
                    });
        var text = string.Join("\n", lines) + "\n\n";   // blank lines are skipped
        _file = new TrainingFile("forum.jsonl", () => new StringReader(text));
    }

    [Fact]
    public void Threads_are_split_whole_and_the_same_way_every_time()
    {
        var first = ForumData.Load(_file);
        var second = ForumData.Load(_file);
        Assert.Equal(200, first.Count);
        Assert.Equal(first.Select(f => (f.Thread.Id, f.Split)), second.Select(f => (f.Thread.Id, f.Split)));
        Assert.All(first, f => Assert.Equal(ForumData.SplitOf(f.Thread.Id), f.Split));
        var counts = first.GroupBy(f => f.Split).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts[ForumSplit.HeldBack], 30, 70);       // ¼ of 200 give or take the hash
        Assert.InRange(counts[ForumSplit.Calibration], 30, 70);
        Assert.InRange(counts[ForumSplit.Train], 70, 130);
    }

    [Fact]
    public void Replies_keep_forum_order_and_in_between_labels_stay_unlabelled()
    {
        var thread = ForumData.Load(_file).First(f => f.Thread.Id == "Q0").Thread;
        Assert.Equal(["Q0_C4", "Q0_C3", "Q0_C2", "Q0_C1"], thread.Comments.Select(c => c.Id));   // by position
        foreach (var c in thread.Comments)
        {
            var label = new[] { "Good", "Bad", "PotentiallyUseful" }[int.Parse(c.Text[^1..]) % 3];   // thread 0: (0 + c) % 3
            Assert.Equal(label == "PotentiallyUseful", c.Unlabelled);
            if (!c.Unlabelled) Assert.Equal(label == "Good", c.OnTopic);
        }
    }
}
