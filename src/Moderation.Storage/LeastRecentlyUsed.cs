namespace Moderation.Storage;

/// <summary>The one trim of the service's in-memory caches keyed by id (the worker's articles and threads, the report writer's tallies).</summary>
public static class LeastRecentlyUsed
{
    /// <summary>Keeps the <paramref name="keep"/> most recently used entries and drops the others.</summary>
    public static void Trim<TEntry>(Dictionary<string, TEntry> entries, Func<TEntry, long> lastUsed, int keep)
    {
        if (entries.Count <= keep) return;
        foreach (var id in entries.OrderBy(kv => lastUsed(kv.Value)).Take(entries.Count - Math.Max(0, keep)).Select(kv => kv.Key).ToList())
            entries.Remove(id);
    }
}
