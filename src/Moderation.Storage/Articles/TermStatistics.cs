using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Scoring;

namespace Moderation.Storage.Articles;

/// <summary>
/// Document frequencies read from term_df, cached for the life of one batch: the scorer asks
/// term by term, synchronously, and the same terms recur across a batch.
/// </summary>
public sealed class TermStatistics : ITermStatistics, IAsyncDisposable
{
    readonly SqliteConnection connection;
    readonly Dictionary<string, long> cache = new(StringComparer.Ordinal);

    TermStatistics(SqliteConnection connection, long documentCount)
    {
        this.connection = connection;
        DocumentCount = documentCount;
    }

    public static async Task<TermStatistics> OpenAsync(Database db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM articles", cancellationToken: ct));
        return new TermStatistics(connection, count);
    }

    public long DocumentCount { get; }

    public long DocumentFrequency(string term)
    {
        lock (cache)
        {
            if (cache.TryGetValue(term, out var df)) return df;
            df = connection.ExecuteScalar<long?>("SELECT df FROM term_df WHERE term = @term", new { term }) ?? 0;
            cache[term] = df;
            return df;
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
