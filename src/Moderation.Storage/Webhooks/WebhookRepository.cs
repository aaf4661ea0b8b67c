using Dapper;
using Moderation.Storage.Audit;

namespace Moderation.Storage.Webhooks;

public sealed record WebhookRow
{
    public string WebhookId { get; init; } = "";
    public string Url { get; init; } = "";
    public string Events { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? RevokedAt { get; init; }
}

public sealed record Delivery
{
    public long Id { get; init; }
    public string WebhookId { get; init; } = "";
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string Event { get; init; } = "";
    public string Payload { get; init; } = "";
    public long Attempts { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? DeliveredAt { get; init; }
    public string? FailedAt { get; init; }
    public long? LastStatus { get; init; }
    public string? LastError { get; init; }
}

public sealed class WebhookRepository(Database db)
{
    /// <summary>
    /// Stores the subscription and audits it in one transaction. The audit shows the URL's host only: the audit
    /// log is open to moderators, and a webhook URL often carries a token in its path or query.
    /// </summary>
    public Task CreateAsync(string webhookId, string url, IEnumerable<string> events, string secret, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var list = events.ToList();
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO webhooks (webhook_id, url, events, secret, created_at) VALUES (@webhookId, @url, @events, @secret, @at)",
                new { webhookId, url, events = "," + string.Join(",", list) + ",", secret, at = Database.Time(now) }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(c, tx, now, actor, "webhook_created", null, null, null, new { webhookId, host = Host(url), events = list }, ct);
            return true;
        }, ct);

    static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "";

    public async Task<IReadOnlyList<WebhookRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<WebhookRow>(new CommandDefinition(
            "SELECT webhook_id AS WebhookId, url, events, created_at AS CreatedAt, revoked_at AS RevokedAt FROM webhooks ORDER BY created_at, webhook_id",
            cancellationToken: ct))).AsList();
    }

    /// <summary>Revokes an active webhook and audits it in the same transaction; false when there was no such active webhook.</summary>
    public Task<bool> RevokeAsync(string webhookId, string actor, DateTimeOffset now, CancellationToken ct) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var url = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "UPDATE webhooks SET revoked_at = @at WHERE webhook_id = @webhookId AND revoked_at IS NULL RETURNING url",
                new { webhookId, at = Database.Time(now) }, tx, cancellationToken: ct));
            if (url is null) return false;
            await AuditLog.WriteAsync(c, tx, now, actor, "webhook_revoked", null, null, null, new { webhookId, host = Host(url) }, ct);
            return true;
        }, ct);

    const string DeliveryColumns = """
        o.id, o.webhook_id AS WebhookId, w.url, w.secret, o.event, o.payload, o.attempts, o.created_at AS CreatedAt,
        o.delivered_at AS DeliveredAt, o.failed_at AS FailedAt, o.last_status AS LastStatus, o.last_error AS LastError
        """;

    public async Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Delivery>(new CommandDefinition($"""
            SELECT {DeliveryColumns} FROM webhook_outbox o JOIN webhooks w ON w.webhook_id = o.webhook_id
            WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= @now AND w.revoked_at IS NULL
            ORDER BY o.id LIMIT @limit
            """, new { now = Database.Time(now), limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>The delivery log for admins, newest first (the secret is not part of it).</summary>
    public async Task<IReadOnlyList<Delivery>> LogAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Delivery>(new CommandDefinition($"""
            SELECT {DeliveryColumns.Replace("w.secret", "'' AS secret", StringComparison.Ordinal)} FROM webhook_outbox o JOIN webhooks w ON w.webhook_id = o.webhook_id
            ORDER BY o.id DESC LIMIT @limit
            """, new { limit }, cancellationToken: ct))).AsList();
    }

    public async Task MarkDeliveredAsync(long id, int status, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_outbox SET delivered_at = @at, attempts = attempts + 1, last_status = @status, last_error = NULL WHERE id = @id",
            new { id, status, at = Database.Time(now) }, cancellationToken: ct));
    }

    /// <summary>Records a failed attempt; the delivery is retried at <paramref name="next"/>, or given up when <paramref name="giveUp"/>.</summary>
    public async Task MarkFailedAsync(long id, int? status, string error, DateTimeOffset next, bool giveUp, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_outbox SET attempts = attempts + 1, last_status = @status, last_error = @error, next_attempt_at = @next,
                failed_at = CASE WHEN @giveUp THEN @at ELSE NULL END
            WHERE id = @id
            """, new { id, status, error, next = Database.Time(next), giveUp, at = Database.Time(now) }, cancellationToken: ct));
    }
}
