using Moderation.Core.Scoring;
using Moderation.Storage;

namespace Moderation.Worker;

/// <summary>
/// Articles with their stored profile, kept across batches so a busy article is read and its profile decoded
/// once, not once per batch. An entry is valid for one article version: the batch looks up the current
/// versions in one query and reloads what changed. Bounded: past <see cref="Capacity"/> articles the least
/// recently used half is dropped (a profile with embeddings is ~100 KB decoded). One worker loop uses it at a time.
/// </summary>
public sealed class ArticleCache(int capacity = 256)
{
    sealed record Entry(long Version, ArticleToScore Article)
    {
        public long LastUsed { get; set; }
    }

    readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    long clock;

    public int Capacity { get; } = Math.Max(1, capacity);

    public int Count => entries.Count;

    public ArticleToScore? Get(string articleId, long version)
    {
        if (!entries.TryGetValue(articleId, out var e) || e.Version != version) return null;
        e.LastUsed = ++clock;
        return e.Article;
    }

    public void Put(string articleId, long version, ArticleToScore article)
    {
        entries[articleId] = new Entry(version, article) { LastUsed = ++clock };
        if (entries.Count > Capacity) LeastRecentlyUsed.Trim(entries, e => e.LastUsed, Capacity / 2);
    }
}
