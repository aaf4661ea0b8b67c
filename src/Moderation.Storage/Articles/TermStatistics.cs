using System.Collections.Concurrent;
using Dapper;
using System.Data.Common;
using Moderation.Core.Scoring;
using Moderation.Core.Relevance;

namespace Moderation.Storage.Articles;

/// <summary>
/// Document frequencies read from term_df. The scorer asks term by term, synchronously (~100–400
/// terms per comment), so answers are cached in memory across batches, per database file, and the
/// cache is dropped when <c>term_df_generation</c> (bumped by triggers on every change of term_df or
/// of the article count) moves. A cold term costs one indexed lookup on this batch's connection.
/// </summary>
public sealed class TermStatistics : IDocumentFrequencies, IAsyncDisposable
{
    /// <summary>Past this many cached terms the cache starts again (bounds memory on huge vocabularies).</summary>
    const int MaxCachedTerms = 400_000;

    sealed class Cache(long generation, long documentCount)
    {
        public readonly long Generation = generation;
        public readonly long DocumentCount = documentCount;
        public readonly ConcurrentDictionary<string, long> Terms = new(StringComparer.Ordinal);
    }

    static readonly ConcurrentDictionary<string, Cache> Caches = new(StringComparer.Ordinal);

    readonly DbConnection connection;
    readonly Cache cache;
    DbCommand? lookup;

    TermStatistics(DbConnection connection, Cache cache)
    {
        this.connection = connection;
        this.cache = cache;
    }

    public static async Task<TermStatistics> OpenAsync(Database db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var (generation, count) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT (SELECT generation FROM term_df_generation WHERE id = 1), (SELECT count(*) FROM articles)", cancellationToken: ct));
        var cache = Caches.AddOrUpdate(db.Identity, _ => new Cache(generation, count),
            (_, old) => old.Generation == generation && old.DocumentCount == count && old.Terms.Count < MaxCachedTerms ? old : new Cache(generation, count));
        return new TermStatistics(connection, cache);
    }

    public long DocumentCount => cache.DocumentCount;

    /// <summary>The cache: the same object for as long as term_df and the article count are unchanged.</summary>
    public object Snapshot => cache;

    public long DocumentFrequency(string term)
    {
        if (cache.Terms.TryGetValue(term, out var df)) return df;
        lock (connection)
        {
            if (lookup is null)
            {
                lookup = connection.CreateCommand();
                lookup.CommandText = "SELECT df FROM term_df WHERE term = @term";
                var p = lookup.CreateParameter();
                p.ParameterName = "@term";
                p.DbType = System.Data.DbType.String;
                lookup.Parameters.Add(p);
                p.Value = "";
                lookup.Prepare();
            }
            lookup.Parameters[0].Value = term;
            df = lookup.ExecuteScalar() is long v ? v : 0;
        }
        cache.Terms[term] = df;
        return df;
    }

    public async ValueTask DisposeAsync()
    {
        lookup?.Dispose();
        await connection.DisposeAsync();
    }
}
