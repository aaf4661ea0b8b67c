namespace Moderation.Core.Relevance;

/// <summary>
/// Recognises short generic replies — praise, thanks, agreement ("Great article, thanks!",
/// "Exactly.", "Well said") — that carry no topic of their own. Decision: low value is not off
/// topic, so these are treated as neutral (see <see cref="RelevanceOptions.GenericReplyRelevance"/>).
/// Anything with a word outside this small vocabulary ("First!", "anyone watch the game?") is not generic.
/// </summary>
public static class GenericReplies
{
    private static readonly HashSet<string> Vocabulary = new(StringComparer.Ordinal)
    {
        "great","good","nice","excellent","brilliant","fantastic","wonderful","superb","amazing","awesome",
        "interesting","informative","helpful","useful","insightful","thoughtful","clear","fair","balanced",
        "article","piece","story","report","reporting","writing","written","journalism","read","post","work","job",
        "thanks","thank","thx","ty","cheers","appreciated","appreciate","sharing","for","this","that","it","is",
        "was","a","an","the","so","very","really","such","much","well","said","put","point","points","agree",
        "agreed","exactly","indeed","true","yes","yep","yeah","absolutely","totally","completely","spot","on",
        "right","correct","same","here","me","too","you","i","this","one","what","he","she","they","said",
        "couldn't","could","not","have","it","better","love","loved","like","liked","bravo","amen","hear",
        "plus","1","+1","100","all","of","and","to","as","always","again","quite","great","reading","worth",
    };

    public static bool IsGeneric(string? text, int maxWords)
    {
        var words = TextAnalysis.Words(TextAnalysis.Sanitize(text));
        if (words.Count == 0 || words.Count > maxWords) return false;
        foreach (var w in words)
        {
            var lower = w.ToLowerInvariant().Replace('\u2019', '\'');
            if (!Vocabulary.Contains(lower)) return false;
        }
        return true;
    }
}
