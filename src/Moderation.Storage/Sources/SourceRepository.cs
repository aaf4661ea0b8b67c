using Dapper;

namespace Moderation.Storage.Sources;

public sealed record SourceRow
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string Url { get; init; } = "";
    public string? Cursor { get; init; }
    public long CommentsIngested { get; init; }
    public string? LastPollAt { get; init; }
    public string? LastSuccessAt { get; init; }
    public string? LastError { get; init; }
    public string? LastErrorAt { get; init; }
    public string? LastRescanAt { get; init; }
}

/// <summary>The state of each pull source: where its cursor stands and how its last poll went.</summary>
public sealed class SourceRepository(Database db)
{
    const string Columns = """
        name, type, url, cursor, comments_ingested AS CommentsIngested, last_poll_at AS LastPollAt, last_success_at AS LastSuccessAt,
        last_error AS LastError, last_error_at AS LastErrorAt, last_rescan_at AS LastRescanAt
        """;

    /// <summary>The source's row, made on first sight. Type and URL follow the configuration; the cursor is kept.</summary>
    public async Task<SourceRow> EnsureAsync(string name, string type, string url, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sources (name, type, url, created_at) VALUES (@name, @type, @url, @at)
            ON CONFLICT (name) DO UPDATE SET type = excluded.type, url = excluded.url
            """, new { name, type, url, at = Database.Time(now) }, cancellationToken: ct));
        return await c.QuerySingleAsync<SourceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sources WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<SourceRow?> GetAsync(string name, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sources WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<SourceRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<SourceRow>(new CommandDefinition($"SELECT {Columns} FROM sources ORDER BY name", cancellationToken: ct))).AsList();
    }

    /// <summary>Moves the cursor (after the comments before it were ingested) and counts what came in.</summary>
    public async Task SaveCursorAsync(string name, string? cursor, int ingested, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE sources SET cursor = @cursor, comments_ingested = comments_ingested + @ingested WHERE name = @name",
            new { name, cursor, ingested }, cancellationToken: ct));
    }

    /// <summary>Counts comments that came in outside the cursor's walk (a rescan for edits).</summary>
    public async Task AddIngestedAsync(string name, int ingested, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE sources SET comments_ingested = comments_ingested + @ingested WHERE name = @name", new { name, ingested }, cancellationToken: ct));
    }

    /// <summary>Records a finished poll; an error is kept (with its time) until the next error replaces it.</summary>
    public async Task RecordPollAsync(string name, DateTimeOffset at, string? error, bool rescan, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE sources SET last_poll_at = @at,
                last_success_at = CASE WHEN @error IS NULL THEN @at ELSE last_success_at END,
                last_error = coalesce(@error, last_error),
                last_error_at = CASE WHEN @error IS NULL THEN last_error_at ELSE @at END,
                last_rescan_at = CASE WHEN @rescan AND @error IS NULL THEN @at ELSE last_rescan_at END
            WHERE name = @name
            """, new { name, at = Database.Time(at), error, rescan }, cancellationToken: ct));
    }
}
