namespace Moderation.Core.Relevance;

/// <summary>
/// What the scorer knows about the comment's thread.
/// </summary>
/// <param name="ParentRelevance">Relevance of the comment this one replies to; null for a top-level
/// comment or when the parent is not scored yet.</param>
/// <param name="SiblingEmbeddings">Embeddings (<see cref="RelevanceResult.CommentEmbedding"/>) of other
/// comments under the article, most recent first; at most <see cref="RelevanceOptions.MaxSiblings"/> are used.</param>
/// <param name="SiblingWordCounts">Word counts of other comments under the article (for the thread median).</param>
public sealed record ThreadContext(
    double? ParentRelevance,
    IReadOnlyList<float[]> SiblingEmbeddings,
    IReadOnlyList<int> SiblingWordCounts)
{
    /// <summary>A top-level comment in an empty thread.</summary>
    public static ThreadContext Empty { get; } = new(null, [], []);

    /// <summary>Median sibling word count, or null when there are no siblings.</summary>
    public int? MedianWordCount()
    {
        if (SiblingWordCounts is null || SiblingWordCounts.Count == 0) return null;
        var s = SiblingWordCounts.Order().ToArray();
        int m = s.Length / 2;
        return s.Length % 2 == 1 ? s[m] : (int)Math.Round((s[m - 1] + s[m]) / 2.0, MidpointRounding.AwayFromZero);
    }
}
