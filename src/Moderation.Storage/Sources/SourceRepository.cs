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
    public long CommentsEdited { get; init; }
    public long StatusChanges { get; init; }
    public long WriteBacks { get; init; }
    public string? LastWriteBackError { get; init; }
    public string? LastWriteBackErrorAt { get; init; }
    public long Skipped { get; init; }
    public string? LastSkipReason { get; init; }
    public string? AuthenticatedAt { get; init; }
    public string? AuthRefusedAt { get; init; }
}

/// <summary>What one walk over a source's comments counted: new comments, edits, and comments passed over (with the last reason).</summary>
public sealed record SourceCounts(int Ingested, int Edited, int Skipped, string? LastSkipReason)
{
    public static readonly SourceCounts None = new(0, 0, 0, null);
}

/// <summary>A post a source could not read, and when to ask for it again.</summary>
public sealed record UnreadablePost(long Failures, string LastReason, string NextAttemptAt);

/// <summary>The state of each pull source: where its cursor stands and how its last poll went.</summary>
public sealed class SourceRepository(Database db)
{
    const string Columns = """
        name, type, url, cursor, comments_ingested AS CommentsIngested, last_poll_at AS LastPollAt, last_success_at AS LastSuccessAt,
        last_error AS LastError, last_error_at AS LastErrorAt, last_rescan_at AS LastRescanAt, comments_edited AS CommentsEdited,
        status_changes AS StatusChanges, write_backs AS WriteBacks, last_write_back_error AS LastWriteBackError,
        last_write_back_error_at AS LastWriteBackErrorAt, skipped, last_skip_reason AS LastSkipReason, authenticated_at AS AuthenticatedAt,
        auth_refused_at AS AuthRefusedAt
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

    /// <summary>Moves the cursor (after the comments before it were taken in) and adds <paramref name="counts"/>.</summary>
    public async Task SaveCursorAsync(string name, string? cursor, SourceCounts counts, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition($"UPDATE sources SET cursor = @cursor, {CountsSql} WHERE name = @name",
            new { name, cursor, counts.Ingested, counts.Edited, counts.Skipped, counts.LastSkipReason }, cancellationToken: ct));
    }

    const string CountsSql = """
        comments_ingested = comments_ingested + @Ingested, comments_edited = comments_edited + @Edited, skipped = skipped + @Skipped,
        last_skip_reason = coalesce(@LastSkipReason, last_skip_reason)
        """;

    /// <summary>Adds <paramref name="counts"/> without moving the cursor (a rescan, or a page after a skipped one).</summary>
    public async Task AddCountsAsync(string name, SourceCounts counts, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition($"UPDATE sources SET {CountsSql} WHERE name = @name",
            new { name, counts.Ingested, counts.Edited, counts.Skipped, counts.LastSkipReason }, cancellationToken: ct));
    }

    /// <summary>Records that the site accepted (or refused) the source's credentials just now.</summary>
    public async Task RecordAuthenticationAsync(string name, bool accepted, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(accepted
            ? "UPDATE sources SET authenticated_at = @at WHERE name = @name"
            : "UPDATE sources SET auth_refused_at = @at WHERE name = @name", new { name, at = Database.Time(at) }, cancellationToken: ct));
    }

    /// <summary>The post's failure record when it could not be read before; null when it never failed (or was read since).</summary>
    public async Task<UnreadablePost?> GetUnreadablePostAsync(string source, long postId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<UnreadablePost>(new CommandDefinition("""
            SELECT failures, last_reason AS LastReason, next_attempt_at AS NextAttemptAt FROM source_posts WHERE source = @source AND post_id = @postId
            """, new { source, postId }, cancellationToken: ct));
    }

    /// <summary>Records that the post could not be read (<paramref name="reason"/>); it is asked again from <paramref name="next"/>.</summary>
    public async Task RecordUnreadablePostAsync(string source, long postId, string reason, DateTimeOffset next, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO source_posts (source, post_id, failures, last_reason, next_attempt_at) VALUES (@source, @postId, 1, @reason, @next)
            ON CONFLICT (source, post_id) DO UPDATE SET failures = source_posts.failures + 1, last_reason = excluded.last_reason, next_attempt_at = excluded.next_attempt_at
            """, new { source, postId, reason, next = Database.Time(next) }, cancellationToken: ct));
    }

    public async Task ForgetUnreadablePostAsync(string source, long postId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM source_posts WHERE source = @source AND post_id = @postId", new { source, postId }, cancellationToken: ct));
    }

    /// <summary>Posts each source cannot read now, for <c>GET /api/sources</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> UnreadablePostsBySourceAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Source, long Count)>(new CommandDefinition(
            "SELECT source, count(*) FROM source_posts GROUP BY source", cancellationToken: ct))).ToDictionary(r => r.Source, r => r.Count);
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
