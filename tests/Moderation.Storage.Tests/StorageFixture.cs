using Dapper;
using Moderation.Storage.Articles;
using Moderation.Storage.Comments;

namespace Moderation.Storage.Tests;

/// <summary>A fresh, migrated store per test: a SQLite file, or a PostgreSQL database (Moderation.Tests.TestStores).</summary>
public sealed class StorageFixture : IAsyncDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "moderation-storage-tests", Guid.NewGuid().ToString("N"));

    StorageFixture() => Storage = new StorageServices(Moderation.Tests.TestStores.NewDatabase(folder));

    public StorageServices Storage { get; }

    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static async Task<StorageFixture> CreateAsync()
    {
        var f = new StorageFixture();
        await new Migrator(f.Storage.Database).MigrateAsync();
        return f;
    }

    public Task<UpsertOutcome> PutArticleAsync(string id, string body, params string[] terms) =>
        Storage.Articles.UpsertAsync(new ArticleRow { ArticleId = id, Title = "T", Body = body, CreatedAt = Database.Time(Now), UpdatedAt = Database.Time(Now) },
            terms.ToHashSet(), default);

    public Task<IngestResult> AddCommentAsync(string id, string articleId, string text) =>
        Storage.Comments.IngestAsync(new NewComment(id, articleId, text, null, null, null, null), Now, default);

    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var c = await Storage.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.ReportWriter.DisposeAsync();   // the report writer's own connection
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Storage.Database.DisposeAsync();
        Moderation.Tests.TestStores.Drop(Storage.Database);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
