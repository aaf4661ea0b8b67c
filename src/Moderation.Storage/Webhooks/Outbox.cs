using System.Data;
using System.Text.Json;
using Dapper;

namespace Moderation.Storage.Webhooks;

/// <summary>Webhook events of the contract.</summary>
public static class WebhookEvents
{
    public const string Flagged = "comment.flagged";
    public const string Hidden = "comment.hidden";
    public const string Decided = "comment.decided";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Flagged, Hidden, Decided };
}

/// <summary>
/// Writes webhook events into the outbox inside the caller's transaction, one row per subscribed
/// webhook: the event exists exactly when the change it reports was committed.
/// </summary>
public static class Outbox
{
    public static Task EnqueueAsync(IDbConnection c, IDbTransaction tx, string evt, string commentId, string status, object? detail, DateTimeOffset now, CancellationToken ct)
    {
        var at = Database.Time(now);
        var payload = JsonSerializer.Serialize(new { @event = evt, commentId, status, at = now, detail }, Json.Options);
        return c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, next_attempt_at)
            SELECT webhook_id, @evt, @payload, @at, @at FROM webhooks
            WHERE revoked_at IS NULL AND (events LIKE '%,*,%' OR events LIKE '%,' || @evt || ',%')
            """, new { evt, payload, at }, tx, cancellationToken: ct));
    }

    /// <summary>The events for a comment whose status went from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static async Task StatusChangedAsync(IDbConnection c, IDbTransaction tx, string commentId, string? before, string after, object? detail, DateTimeOffset now, CancellationToken ct)
    {
        var queuedBefore = before is "pending" or "hidden";
        if (after is "pending" or "hidden" && !queuedBefore) await EnqueueAsync(c, tx, WebhookEvents.Flagged, commentId, after, detail, now, ct);
        if (after == "hidden" && before != "hidden") await EnqueueAsync(c, tx, WebhookEvents.Hidden, commentId, after, detail, now, ct);
        if (after is "approved" or "rejected") await EnqueueAsync(c, tx, WebhookEvents.Decided, commentId, after, detail, now, ct);
    }
}
