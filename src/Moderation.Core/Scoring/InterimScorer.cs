using System.Text.RegularExpressions;

namespace Moderation.Core.Scoring;

/// <summary>Placeholder until the profanity and relevance engines are wired in. TEMPORARY.</summary>
public sealed partial class InterimScorer : ICommentScorer
{
    static readonly string[] Words = ["fuck", "shit", "cunt", "asshole", "bastard", "bitch"];

    public int ProfileVersion => 1;

    public byte[] BuildArticleProfile(string title, string body) => [];

    public IReadOnlySet<string> ArticleTerms(string title, string body) => Tokens(title + " " + body).ToHashSet();

    public ScoreResult Score(string text, ArticleToScore article, ThreadToScore thread, ITermStatistics terms)
    {
        var spans = new List<Span>();
        foreach (Match m in WordRegex().Matches(text))
            if (Words.Any(w => m.Value.Contains(w, StringComparison.OrdinalIgnoreCase)))
                spans.Add(new Span(m.Index, m.Index + m.Length, m.Value, m.Value.ToLowerInvariant(), "strong"));
        var words = Tokens(text).ToList();
        var articleWords = ArticleTerms(article.Title, article.Body);
        var relevance = words.Count == 0 ? 1 : (double)words.Count(articleWords.Contains) / words.Count;
        var offTopicLength = Math.Clamp(words.Count / 200.0, 0, 1) * (1 - relevance);
        var reasons = new List<Reason>();
        if (spans.Count > 0) reasons.Add(new Reason(ReasonCodes.Profanity, 0.95, spans));
        if (words.Count >= 3) reasons.Add(new Reason(offTopicLength >= 0.5 ? ReasonCodes.OffTopicLength : ReasonCodes.OffTopic, offTopicLength >= 0.5 ? offTopicLength : 1 - relevance));
        return new ScoreResult(new Scores(spans.Count > 0 ? 0.95 : 0, relevance, offTopicLength), reasons);
    }

    static IEnumerable<string> Tokens(string s) => WordRegex().Matches(s).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 3);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordRegex();
}
