namespace Moderation.Core.Relevance;

/// <summary>
/// Document frequencies over the article collection, for IDF. A "document" is one article and a
/// term is a key of <see cref="ArticleProfile.TermCounts"/>. The scorer calls
/// <see cref="DocumentFrequency"/> once per distinct term of the comment and of the article, so
/// a storage implementation should answer from memory or a cache, not one query per call.
/// </summary>
public interface IDocumentFrequencies
{
    long DocumentCount { get; }
    long DocumentFrequency(string term);

    /// <summary>
    /// A token that is equal (<see cref="object.Equals(object)"/>) between two calls only if every answer is the same,
    /// so sums over an article's terms can be kept between comments and batches; null = unknown, keep nothing.
    /// </summary>
    object? Snapshot => null;
}

/// <summary>In-memory document frequencies (training, tests, the stateless score preview).</summary>
public sealed class InMemoryDocumentFrequencies : IDocumentFrequencies
{
    private readonly Dictionary<string, long> _df = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _count;
    private object _snapshot = new();

    public long DocumentCount { get { lock (_gate) return _count; } }

    /// <summary>A new token after every <see cref="Add(IEnumerable{string})"/> and <see cref="Remove"/>.</summary>
    public object Snapshot { get { lock (_gate) return _snapshot; } }

    public long DocumentFrequency(string term)
    {
        lock (_gate) return _df.TryGetValue(term, out var n) ? n : 0;
    }

    /// <summary>Counts one document with the given distinct terms.</summary>
    public void Add(IEnumerable<string> distinctTerms)
    {
        lock (_gate)
        {
            _snapshot = new object();
            _count++;
            foreach (var t in distinctTerms.Distinct(StringComparer.Ordinal))
                _df[t] = _df.TryGetValue(t, out var n) ? n + 1 : 1;
        }
    }

    public void Add(ArticleProfile profile) => Add(profile.Terms);

    /// <summary>Removes a document counted before with the same terms (an article changed or deleted).</summary>
    public void Remove(IEnumerable<string> distinctTerms)
    {
        lock (_gate)
        {
            _snapshot = new object();
            _count = Math.Max(0, _count - 1);
            foreach (var t in distinctTerms.Distinct(StringComparer.Ordinal))
                if (_df.TryGetValue(t, out var n)) { if (n <= 1) _df.Remove(t); else _df[t] = n - 1; }
        }
    }

    /// <summary>Smoothed IDF used by the lexical features: ln((N + 1) / (df + 1)) + 1, always ≥ 1.</summary>
    public static double Idf(IDocumentFrequencies df, string term)
    {
        long n = Math.Max(0, df.DocumentCount);
        long d = Math.Clamp(df.DocumentFrequency(term), 0, n);
        return Math.Log((n + 1.0) / (d + 1.0)) + 1.0;
    }
}
