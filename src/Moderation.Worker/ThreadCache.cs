using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Inbox;

namespace Moderation.Worker;

/// <summary>
/// The most recent scored comments per article, for thread context (sibling word counts and embeddings), kept
/// across batches: the worker reads an article's from the database when it first meets the article or when its copy
/// is older than <see cref="MaxAge"/>, and adds what it writes itself. Reading them for every batch was 40 % of the
/// worker's scoring stage at 2,600 comments/s. What another worker wrote, or a comment edited since, shows up here
/// within <see cref="MaxAge"/>; thread context is a hint to the relevance model, and this lag is the price.
/// Bounded like <see cref="ArticleCache"/>. Thread-safe (the write of one batch overlaps the scoring of the next).
/// </summary>
public sealed class ThreadCache(int siblings, TimeSpan maxAge, int capacity = 1024)
{
    sealed class Entry(List<RecentComment> recent, DateTimeOffset loadedAt)
    {
        public List<RecentComment> Recent = recent;   // newest first, at most Keep
        public DateTimeOffset LoadedAt = loadedAt;
        public long LastUsed;
    }

    readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    long clock;

    public TimeSpan MaxAge { get; } = maxAge;

    /// <summary>Siblings given to a comment, plus one: the comment itself may be among them (an edited comment) and is skipped.</summary>
    public int Keep => siblings + 1;

    /// <summary>Which of these articles must be read from the database first.</summary>
    public List<string> Stale(IEnumerable<string> articleIds, DateTimeOffset now)
    {
        lock (gate)
            return articleIds.Where(id => !entries.TryGetValue(id, out var e) || now - e.LoadedAt > MaxAge).ToList();
    }

    /// <summary>An article's recent scored comments as read from the database (newest first).</summary>
    public void Load(string articleId, List<RecentComment> recent, DateTimeOffset now)
    {
        lock (gate)
        {
            entries[articleId] = new Entry(recent.Take(Keep).ToList(), now) { LastUsed = ++clock };
            if (entries.Count > capacity) LeastRecentlyUsed.Trim(entries, e => e.LastUsed, capacity / 2);
        }
    }

    /// <summary>A comment this worker has just written (nothing happens if the article is not kept).</summary>
    public void Add(string articleId, RecentComment comment)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(articleId, out var e)) return;
            var list = e.Recent;
            list.RemoveAll(r => r.CommentId == comment.CommentId);
            int at = list.FindIndex(r => r.Seq < comment.Seq);
            list.Insert(at < 0 ? list.Count : at, comment);
            if (list.Count > Keep) list.RemoveRange(Keep, list.Count - Keep);
        }
    }

    /// <summary>The thread of one comment: up to <c>siblings</c> recent scored comments under its article, itself excluded.</summary>
    public ThreadToScore For(string articleId, string commentId, double? parentRelevance)
    {
        var embeddings = new List<float[]>();
        var words = new List<int>();
        lock (gate)
        {
            if (entries.TryGetValue(articleId, out var e))
            {
                e.LastUsed = ++clock;
                foreach (var r in e.Recent)
                {
                    if (r.CommentId == commentId) continue;
                    if (words.Count == siblings) break;
                    if (r.Embedding is { } v) embeddings.Add(v);
                    words.Add(r.WordCount);
                }
            }
        }
        return new ThreadToScore(parentRelevance, embeddings, words);
    }
}
