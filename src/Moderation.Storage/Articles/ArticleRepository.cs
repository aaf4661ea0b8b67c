using System.Data;
using Dapper;

namespace Moderation.Storage.Articles;

public sealed record ArticleRow
{
    public string ArticleId { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string? Url { get; init; }
    public string? PublishedAt { get; init; }
    public long Version { get; init; }
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";
}

public enum UpsertOutcome { Created, Updated, Unchanged }

public sealed class ArticleRepository(Database db)
{
    const string SelectSql = """
        SELECT article_id AS ArticleId, title, body, url, published_at AS PublishedAt, version, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM articles WHERE article_id = @articleId
        """;

    public async Task<ArticleRow?> GetAsync(string articleId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ArticleRow>(new CommandDefinition(SelectSql, new { articleId }, cancellationToken: ct));
    }

    /// <summary>
    /// Creates or updates an article. A changed title or body bumps the version (so the worker
    /// rebuilds the profile) and moves the article's terms in the collection's document frequencies.
    /// </summary>
    public Task<UpsertOutcome> UpsertAsync(ArticleRow article, IReadOnlySet<string> terms, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var existing = await c.QuerySingleOrDefaultAsync<ArticleRow>(new CommandDefinition(SelectSql, new { articleId = article.ArticleId }, tx, cancellationToken: ct));
            if (existing is null)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO articles (article_id, title, body, url, published_at, version, created_at, updated_at)
                    VALUES (@ArticleId, @Title, @Body, @Url, @PublishedAt, 1, @CreatedAt, @UpdatedAt)
                    """, article, tx, cancellationToken: ct));
                await AddTermsAsync(c, tx, article.ArticleId, terms, ct);
                return UpsertOutcome.Created;
            }
            var textChanged = existing.Title != article.Title || existing.Body != article.Body;
            if (!textChanged && existing.Url == article.Url && existing.PublishedAt == article.PublishedAt)
                return UpsertOutcome.Unchanged;
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE articles SET title = @Title, body = @Body, url = @Url, published_at = @PublishedAt,
                    version = version + @bump, updated_at = @UpdatedAt,
                    profile = CASE WHEN @bump = 1 THEN NULL ELSE profile END,
                    profile_version = CASE WHEN @bump = 1 THEN NULL ELSE profile_version END
                WHERE article_id = @ArticleId
                """, new { article.Title, article.Body, article.Url, article.PublishedAt, article.UpdatedAt, article.ArticleId, bump = textChanged ? 1 : 0 }, tx, cancellationToken: ct));
            if (textChanged)
            {
                await c.ExecuteAsync(new CommandDefinition("""
                    UPDATE term_df SET df = df - 1 WHERE term IN (SELECT term FROM article_terms WHERE article_id = @ArticleId);
                    DELETE FROM term_df WHERE df <= 0;
                    DELETE FROM article_terms WHERE article_id = @ArticleId;
                    """, new { article.ArticleId }, tx, cancellationToken: ct));
                await AddTermsAsync(c, tx, article.ArticleId, terms, ct);
            }
            return UpsertOutcome.Updated;
        }, ct);

    static async Task AddTermsAsync(IDbConnection c, IDbTransaction tx, string articleId, IReadOnlySet<string> terms, CancellationToken ct)
    {
        var rows = terms.Select(term => new { articleId, term });
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO article_terms (article_id, term) VALUES (@articleId, @term) ON CONFLICT DO NOTHING;
            INSERT INTO term_df (term, df) VALUES (@term, 1) ON CONFLICT (term) DO UPDATE SET df = term_df.df + 1;
            """, rows, tx, cancellationToken: ct));
    }

    /// <summary>The stored profile if it was built for this article version by this scorer version.</summary>
    public async Task<byte[]?> GetProfileAsync(string articleId, long version, string profileVersion, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            "SELECT profile FROM articles WHERE article_id = @articleId AND version = @version AND profile_version = @profileVersion",
            new { articleId, version, profileVersion }, cancellationToken: ct));
    }

    public async Task SaveProfileAsync(string articleId, long version, string profileVersion, byte[] profile, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE articles SET profile = @profile, profile_version = @profileVersion WHERE article_id = @articleId AND version = @version",
            new { articleId, version, profileVersion, profile }, cancellationToken: ct));
    }
}
