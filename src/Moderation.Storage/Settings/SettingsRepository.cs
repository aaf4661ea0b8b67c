using System.Text.Json;
using Dapper;
using Moderation.Core.Policy;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Settings;

/// <summary>
/// The admin's settings (one JSON row) and per-article settings. Readers ask for the version first
/// (one tiny query), so every worker process sees a change at its next batch, without a restart.
/// </summary>
public sealed class SettingsRepository(Database db)
{
    sealed record Row
    {
        public long Version { get; init; }
        public string Value { get; init; } = "";
    }

    (long Version, ModerationSettings Settings)? cache;

    /// <summary>The stored settings, or null when an admin never changed them (then configuration decides).</summary>
    public async Task<(long Version, ModerationSettings? Settings)> GetAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var version = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT version FROM settings WHERE id = 1", cancellationToken: ct));
        if (version is null) return (0, null);
        if (cache is { } hit && hit.Version == version) return (hit.Version, hit.Settings);
        var row = await c.QuerySingleAsync<Row>(new CommandDefinition("SELECT version, value FROM settings WHERE id = 1", cancellationToken: ct));
        var settings = JsonSerializer.Deserialize<ModerationSettings>(row.Value, Json.Options)!;
        cache = (row.Version, settings);
        return (row.Version, settings);
    }

    public Task<long> SaveAsync(ModerationSettings settings, ModerationSettings before, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var value = JsonSerializer.Serialize(settings, Json.Options);
            var version = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO settings (id, version, value, updated_at, updated_by) VALUES (1, 1, @value, @at, @actor)
                ON CONFLICT (id) DO UPDATE SET version = settings.version + 1, value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                RETURNING version
                """, new { value, at = Database.Time(now), actor }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, actor, "settings_changed", null, null, null, new { version, before, after = settings }, ct);
            return version;
        }, ct);

    sealed record ArticleRow
    {
        public string ArticleId { get; init; } = "";
        public long Premoderation { get; init; }
        public long Closed { get; init; }
        public string? Reasons { get; init; }
    }

    public async Task<ArticleSettings> GetArticleAsync(string articleId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ArticleRow>(new CommandDefinition(
            "SELECT premoderation, closed, reasons FROM article_settings WHERE article_id = @articleId", new { articleId }, cancellationToken: ct));
        return row is null ? ArticleSettings.Default : ToSettings(row);
    }

    /// <summary>Settings of several articles in one query (the worker's batch); an article without a row has the defaults.</summary>
    public async Task<IReadOnlyDictionary<string, ArticleSettings>> GetArticlesAsync(IReadOnlyCollection<string> articleIds, CancellationToken ct)
    {
        var result = articleIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => ArticleSettings.Default, StringComparer.Ordinal);
        if (result.Count == 0) return result;
        await using var c = await db.OpenAsync(ct);
        foreach (var row in await c.QueryAsync<ArticleRow>(new CommandDefinition(
            $"SELECT article_id AS ArticleId, premoderation, closed, reasons FROM article_settings WHERE {c.In("article_id", "@articleIds")}", new { articleIds }, cancellationToken: ct)))
            result[row.ArticleId] = ToSettings(row);
        return result;
    }

    static ArticleSettings ToSettings(ArticleRow row) => new(row.Premoderation == 1, row.Closed == 1,
        row.Reasons is null ? null : JsonSerializer.Deserialize<Dictionary<string, ReasonThreshold>>(row.Reasons, Json.Options));

    public Task SaveArticleAsync(string articleId, ArticleSettings settings, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO article_settings (article_id, premoderation, closed, reasons, updated_at) VALUES (@articleId, @pre, @closed, @reasons, @at)
                ON CONFLICT (article_id) DO UPDATE SET premoderation = excluded.premoderation, closed = excluded.closed,
                    reasons = excluded.reasons, updated_at = excluded.updated_at
                """, new { articleId, pre = settings.Premoderation, closed = settings.Closed, at = Database.Time(now),
                    reasons = settings.Reasons is null ? null : JsonSerializer.Serialize(settings.Reasons, Json.Options) }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, actor, "article_settings_changed", null, null, null, new { articleId, settings }, ct);
            return 0;
        }, ct);
}
