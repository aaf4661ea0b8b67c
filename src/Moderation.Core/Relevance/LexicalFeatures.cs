using System.Runtime.CompilerServices;

namespace Moderation.Core.Relevance;

/// <summary>Lexical comparison of a comment with an article (all shares in [0, 1]).</summary>
/// <param name="TfIdfCosine">Cosine of sublinear-TF × IDF vectors of comment and article (title + body).</param>
/// <param name="ContentShare">Share of the comment's distinct content terms found in the article.</param>
/// <param name="IdfWeightedShare">Same share, each term weighted by its IDF (rare shared terms count more).</param>
/// <param name="TitleOverlap">Share of the title's terms that the comment uses.</param>
/// <param name="BestSentenceOverlap">Best IDF-weighted share of the comment's terms found in one article sentence.</param>
/// <param name="BestSentenceIndex">Index of that sentence in <see cref="ArticleProfile.Sentences"/>, or -1.</param>
/// <param name="ContentTermCount">Distinct content terms in the comment.</param>
/// <param name="SharedTerms">Shared terms, most informative first, as the comment spelt them.</param>
public sealed record LexicalStats(
    double TfIdfCosine, double ContentShare, double IdfWeightedShare, double TitleOverlap,
    double BestSentenceOverlap, int BestSentenceIndex, int ContentTermCount, IReadOnlyList<string> SharedTerms);

public static class LexicalFeatures
{
    // Derived from the profile once and reused while the profile lives: which sentences hold each term.
    private static readonly ConditionalWeakTable<ArticleProfile, Dictionary<string, int[]>> SentencesByTerm = new();

    // The article's TF-IDF norm, kept with the document-frequency snapshot it was computed under.
    private sealed record ArticleNorm(object Snapshot, double Value);
    private static readonly ConditionalWeakTable<ArticleProfile, ArticleNorm> Norms = new();

    public static LexicalStats Compute(ArticleProfile article, string? comment, IDocumentFrequencies df, int maxSharedTerms = 8)
    {
        var surface = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in TextAnalysis.Words(TextAnalysis.Sanitize(comment)))
        {
            foreach (var part in w.Contains('-') ? w.Split('-', StringSplitOptions.RemoveEmptyEntries) : [w])
            {
                var t = TextAnalysis.ToTerm(part);      // same terms as TextAnalysis.WordTerms, keeping the spelling
                if (t is null) continue;
                counts[t] = counts.TryGetValue(t, out var n) ? n + 1 : 1;
                surface.TryAdd(t, part.ToLowerInvariant());
            }
        }
        if (counts.Count == 0) return new LexicalStats(0, 0, 0, 0, 0, -1, 0, []);

        // Deterministic order for every floating-point sum: ordinal term order.
        var commentTerms = counts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var idf = new Dictionary<string, double>(StringComparer.Ordinal);
        double Idf(string t)
        {
            if (!idf.TryGetValue(t, out var v)) idf[t] = v = InMemoryDocumentFrequencies.Idf(df, t);
            return v;
        }

        double dot = 0, normC = 0, normA = 0, idfAll = 0, idfShared = 0;
        int shared = 0;
        var sharedTerms = new List<(string Term, double Weight)>();
        foreach (var t in commentTerms)
        {
            double wc = (1 + Math.Log(counts[t])) * Idf(t);
            normC += wc * wc;
            idfAll += Idf(t);
            if (article.TermCounts.TryGetValue(t, out var ac))
            {
                double wa = (1 + Math.Log(ac)) * Idf(t);
                dot += wc * wa;
                shared++;
                idfShared += Idf(t);
                sharedTerms.Add((t, wc * wa));
            }
        }
        // The article side depends only on the article and the frequencies: computed once per df snapshot.
        if (df.Snapshot is { } snapshot && Norms.TryGetValue(article, out var kept) && kept.Snapshot.Equals(snapshot))
            normA = kept.Value;
        else
        {
            foreach (var (t, ac) in article.TermCounts)
            {
                double wa = (1 + Math.Log(ac)) * Idf(t);
                normA += wa * wa;
            }
            if (df.Snapshot is { } taken) Norms.AddOrUpdate(article, new ArticleNorm(taken, normA));
        }

        double cosine = normA > 0 && normC > 0 ? dot / Math.Sqrt(normA * normC) : 0;
        int titleHits = article.TitleTerms.Count(counts.ContainsKey);
        double titleOverlap = article.TitleTerms.Count == 0 ? 0 : (double)titleHits / article.TitleTerms.Count;

        // Each sentence's hits summed over the comment's terms in ordinal order (the same sum as a scan of every sentence).
        var sentencesByTerm = SentencesByTerm.GetValue(article, IndexSentences);
        var hits = new double[article.Sentences.Count];
        foreach (var t in commentTerms)
            if (sentencesByTerm.TryGetValue(t, out var where))
                foreach (var i in where) hits[i] += Idf(t);
        double best = 0;
        int bestIndex = -1;
        for (int i = 0; i < hits.Length; i++)
        {
            double share = hits[i] / idfAll;
            if (share > best) { best = share; bestIndex = i; }
        }

        var top = sharedTerms.OrderByDescending(x => x.Weight).ThenBy(x => x.Term, StringComparer.Ordinal)
            .Take(Math.Max(0, maxSharedTerms)).Select(x => surface[x.Term]).ToArray();
        return new LexicalStats(cosine, (double)shared / counts.Count, idfShared / idfAll, titleOverlap,
            best, bestIndex, counts.Count, top);
    }

    private static Dictionary<string, int[]> IndexSentences(ArticleProfile article)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < article.Sentences.Count; i++)
            foreach (var t in new HashSet<string>(TextAnalysis.Terms(article.Sentences[i]), StringComparer.Ordinal))
                (index.TryGetValue(t, out var list) ? list : index[t] = []).Add(i);
        return index.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
