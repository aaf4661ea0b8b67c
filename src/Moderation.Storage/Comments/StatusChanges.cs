using System.Data;
using Moderation.Storage.Audit;
using Moderation.Storage.Sources;
using Moderation.Storage.Webhooks;

namespace Moderation.Storage.Comments;

/// <summary>A comment's status went from <see cref="Before"/> to <see cref="After"/>: who did it, and what the audit entry and the webhook payloads say.</summary>
internal readonly record struct StatusChange(string CommentId, string? Before, string After, string Actor, string Action, object? AuditDetail, object? EventDetail);

/// <summary>What follows a status change besides its audit entry (always written).</summary>
[Flags]
internal enum StatusEffects
{
    None = 0,
    /// <summary>The webhook events of the change (<see cref="Outbox.StatusChangedAsync"/> decides which).</summary>
    Webhooks = 1,
    /// <summary>The write-back to the site the comment came from (<see cref="WriteBackOutbox"/> decides whether).</summary>
    WriteBack = 2,
    All = Webhooks | WriteBack,
}

/// <summary>
/// The one home of what every status change writes in the change's own transaction: the audit entry, the webhook
/// outbox rows and the write-back outbox row. Every path that changes a status (a decision, an undo, a bulk decision,
/// reports, the worker's scores and failures) goes through here, so none forgets one of the three.
/// </summary>
internal static class StatusChanges
{
    /// <summary>One change, written with Dapper (decisions, reports: a few per transaction).</summary>
    public static async Task WriteAsync(IDbConnection c, IDbTransaction tx, StatusChange change, DateTimeOffset now, CancellationToken ct,
        StatusEffects effects = StatusEffects.All)
    {
        await AuditLog.WriteAsync(c, tx, now, change.Actor, change.Action, change.CommentId, change.Before, change.After, change.AuditDetail, ct);
        await FollowAsync(c, tx, change, now, effects, ct);
    }

    /// <summary>The outbox rows of a change whose audit entry is written.</summary>
    static async Task FollowAsync(IDbConnection c, IDbTransaction tx, StatusChange change, DateTimeOffset now, StatusEffects effects, CancellationToken ct)
    {
        if (effects.HasFlag(StatusEffects.Webhooks))
            await Outbox.StatusChangedAsync(c, tx, change.CommentId, change.Before, change.After, change.EventDetail, now, ct);
        if (effects.HasFlag(StatusEffects.WriteBack))
            await WriteBackOutbox.EnqueueAsync(c, tx, change.CommentId, change.Before, change.After, now, ct);
    }

    /// <summary>
    /// Many changes in one transaction (a worker batch): the audit insert, which every change needs, is prepared once and
    /// re-bound per change, and held in the batch's <see cref="WriteBuffer"/>; the outbox rows, which only some need,
    /// are written as <see cref="WriteAsync"/> writes them (after what the buffer holds).
    /// </summary>
    public sealed class Batch(WriteBuffer buffer) : IDisposable
    {
        readonly PreparedCommand audit = AuditLog.Prepare(buffer);

        /// <param name="effects">What the caller knows the change needs (say, none of the batch came from a source: no write-back).</param>
        public Task WriteAsync(StatusChange change, DateTimeOffset now, StatusEffects effects, CancellationToken ct)
        {
            AuditLog.Write(audit, now, change.Actor, change.Action, change.CommentId, change.Before, change.After, change.AuditDetail);
            if (effects == StatusEffects.None) return Task.CompletedTask;
            buffer.Flush();
            return FollowAsync(buffer.Connection, buffer.Transaction!, change, now, effects, ct);
        }

        public void Dispose() => audit.Dispose();
    }
}
