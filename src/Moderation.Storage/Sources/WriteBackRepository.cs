using Dapper;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Sources;

/// <summary>A due write-back: the comment's current status here and what the site has, as far as we know.</summary>
public sealed record WriteBackItem
{
    public long Id { get; init; }
    public string CommentId { get; init; } = "";
    public string Source { get; init; } = "";
    public long RemoteId { get; init; }
    public string SiteStatus { get; init; } = "";
    public string? WrittenStatus { get; init; }
    public string Status { get; init; } = "";
    public long Attempts { get; init; }
}

/// <summary>The write-back outbox as the dispatcher works it (rows come from <see cref="WriteBackOutbox"/>).</summary>
public sealed class WriteBackRepository(Database db)
{
    /// <summary>
    /// The latest open row of each comment whose time has come: only the latest change matters, and its row reads the
    /// comment's status now. Older open rows are closed as superseded when the latest is done.
    /// </summary>
    public async Task<IReadOnlyList<WriteBackItem>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<WriteBackItem>(new CommandDefinition("""
            SELECT w.id, w.comment_id AS CommentId, s.source, s.remote_id AS RemoteId, s.site_status AS SiteStatus,
                s.written_status AS WrittenStatus, c.status, w.attempts
            FROM source_writebacks w JOIN source_comments s ON s.comment_id = w.comment_id JOIN comments c ON c.comment_id = w.comment_id
            WHERE w.done_at IS NULL AND w.next_attempt_at <= @now
              AND w.id = (SELECT max(x.id) FROM source_writebacks x WHERE x.comment_id = w.comment_id AND x.done_at IS NULL)
            ORDER BY w.id LIMIT @limit
            """, new { now = Database.Time(now), limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Closes the row with <paramref name="result"/> (and the comment's older open rows as superseded). When the site
    /// took <paramref name="written"/>, remembers it (so reading it back is no event), counts it and audits it.
    /// </summary>
    public Task DoneAsync(WriteBackItem item, string result, string? written, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var at = Database.Time(now);
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE source_writebacks SET done_at = @at, result = @result, attempts = attempts + @sent, last_error = NULL WHERE id = @Id;
                UPDATE source_writebacks SET done_at = @at, result = 'superseded' WHERE comment_id = @CommentId AND id < @Id AND done_at IS NULL;
                """, new { item.Id, item.CommentId, at, result, sent = written is null ? 0 : 1 }, tx, cancellationToken: ct));
            if (written is null) return true;
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE source_comments SET written_status = @written, written_at = @at WHERE comment_id = @CommentId;
                UPDATE sources SET write_backs = write_backs + 1 WHERE name = @Source;
                """, new { item.CommentId, item.Source, written, at }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, "source:" + item.Source, "written_back", item.CommentId, item.Status, item.Status,
                new { source = item.Source, remoteId = item.RemoteId, from = item.WrittenStatus ?? item.SiteStatus, to = written, attempts = item.Attempts + 1 }, ct);
            return true;
        }, ct);

    /// <summary>A failed attempt: tried again at <paramref name="next"/>, or (<paramref name="giveUp"/>) closed as failed and audited. The source shows the error.</summary>
    public Task FailedAsync(WriteBackItem item, string error, DateTimeOffset next, bool giveUp, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var at = Database.Time(now);
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE source_writebacks SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next,
                    done_at = CASE WHEN @giveUp THEN @at END, result = CASE WHEN @giveUp THEN 'failed' END
                WHERE id = @Id;
                UPDATE sources SET last_write_back_error = @error, last_write_back_error_at = @at WHERE name = @Source;
                """, new { item.Id, item.Source, error, next = Database.Time(next), giveUp, at }, tx, cancellationToken: ct));
            if (giveUp)
                await AuditLog.WriteAsync(c, tx, now, "source:" + item.Source, "write_back_failed", item.CommentId, item.Status, item.Status,
                    new { source = item.Source, remoteId = item.RemoteId, error, attempts = item.Attempts + 1 }, ct);
            return true;
        }, ct);

    /// <summary>Open write-backs per source, for <c>GET /api/sources</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> PendingBySourceAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(string Source, long Count)>(new CommandDefinition("""
            SELECT s.source, count(*) FROM source_writebacks w JOIN source_comments s ON s.comment_id = w.comment_id
            WHERE w.done_at IS NULL GROUP BY s.source
            """, cancellationToken: ct))).ToDictionary(r => r.Source, r => r.Count);
    }
}
