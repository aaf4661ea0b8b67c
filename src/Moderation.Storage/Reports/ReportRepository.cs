using System.Data;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Policy;
using Moderation.Storage.Audit;
using Moderation.Storage.Webhooks;
using Moderation.Storage.Queue;

namespace Moderation.Storage.Reports;

public enum ReportOutcome { Added, Duplicate, NotFound }

public sealed record ReportResult(ReportOutcome Outcome, int Count, string? Status);

/// <summary>
/// Reader reports, written by group commit.
/// <para>
/// Each report used to be its own IMMEDIATE transaction; SQLite has one writer, so the endpoint topped out at
/// what one transaction per request costs (connection, BEGIN, 4–6 statements, COMMIT writing the same table and
/// index pages again; ~1,400–1,700 reports/s on 2 cores). Now <see cref="AddAsync"/> enqueues the report and waits;
/// one writer loop takes the write lock, then everything waiting (at most <see cref="MaxGroup"/>, so worker batches
/// and moderators' decisions, which queue on the same lock, wait at most one group) and applies it in ONE
/// transaction: each report in arrival order, with the same per-report logic as before (<see cref="ApplyAsync"/>),
/// so a duplicate within a group is still a duplicate and a tally sees the group's earlier reports. Each report runs
/// under its own SAVEPOINT: one that throws is rolled back alone and only its caller sees the exception. Callers
/// are completed only after COMMIT (a 202 means stored). If BEGIN or COMMIT fails, the group is re-run one report
/// per transaction, so each caller gets its own result or error. A caller cancelled before its group starts is
/// skipped (nothing stored); once in a group a report is applied. Disposal drains the queue.
/// See docs/PERFORMANCE.md, "Report endpoint alone".
/// </para>
/// </summary>
public sealed class ReportRepository(Database db) : IAsyncDisposable, IDisposable
{
    /// <summary>The most reports in one transaction: bounds how long other writers wait for the lock.</summary>
    public const int MaxGroup = 256;

    sealed record Pending(string CommentId, string ReporterKey, string? AddressKey, string Reason, string? Details,
        ReportPolicy Policy, DateTimeOffset Now, CancellationToken Cancellation)
    {
        public readonly TaskCompletionSource<ReportResult> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Lock startLock = new();
    Task? writer;

    /// <summary>
    /// Records a report once per (comment, reporter) and applies <see cref="ReportPolicy"/> in the
    /// same transaction: a shown comment enters the queue, and enough reporters hide it.
    /// A comment not scored yet only gets the report recorded; the worker counts it when it scores.
    /// Returns after the transaction that holds the report has committed.
    /// </summary>
    public Task<ReportResult> AddAsync(string commentId, string reporterKey, string? addressKey, string reason, string? details, ReportPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<ReportResult>(ct);
        var pending = new Pending(commentId, reporterKey, addressKey, reason, details, policy, now, ct);
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(ReportRepository), "the report writer has stopped");
        if (writer is null) StartWriter();
        return pending.Completion.Task;
    }

    void StartWriter()
    {
        lock (startLock) writer ??= Task.Run(WriteLoopAsync);
    }

    async Task WriteLoopAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteGroupAsync(group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // WriteGroupAsync completes every report it took; this is a last resort so no caller waits forever.
                foreach (var p in group) p.Completion.TrySetException(e);
            }
            group.Clear();
        }
    }

    readonly record struct Applied(ReportResult? Result, Exception? Error);

    async Task WriteGroupAsync(List<Pending> group)
    {
        Applied[] applied;
        try
        {
            applied = await db.InTransactionAsync(async (c, tx) =>
            {
                // Taken after the write lock: whatever queued while we waited for it joins this group.
                Take(group);
                var results = new Applied[group.Count];
                var connection = (SqliteConnection)c;
                using var save = Command(connection, tx, "SAVEPOINT report");
                using var release = Command(connection, tx, "RELEASE report");
                using var rollback = Command(connection, tx, "ROLLBACK TO report");
                for (var i = 0; i < group.Count; i++)
                {
                    await save.ExecuteNonQueryAsync().ConfigureAwait(false);
                    try
                    {
                        results[i] = new(await ApplyAsync(c, tx, group[i], CancellationToken.None).ConfigureAwait(false), null);
                    }
                    catch (Exception e)
                    {
                        results[i] = new(null, e);
                        await rollback.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }
                    await release.ExecuteNonQueryAsync().ConfigureAwait(false);
                }
                return results;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // BEGIN, COMMIT or a savepoint failed and the whole group was rolled back: one transaction per report,
            // so each caller gets its own outcome (if the database cannot be opened at all, each its own error).
            if (group.Count == 0) Take(group);
            foreach (var p in group)
            {
                try { p.Completion.TrySetResult(await db.InTransactionAsync((c, tx) => ApplyAsync(c, tx, p, CancellationToken.None)).ConfigureAwait(false)); }
                catch (Exception e) { p.Completion.TrySetException(e); }
            }
            return;
        }
        // Committed: now, and only now, the callers hear back.
        for (var i = 0; i < group.Count; i++)
        {
            if (applied[i].Error is { } error) group[i].Completion.TrySetException(error);
            else group[i].Completion.TrySetResult(applied[i].Result!);
        }
    }

    void Take(List<Pending> group)
    {
        while (group.Count < MaxGroup && queue.Reader.TryRead(out var p))
        {
            if (p.Cancellation.IsCancellationRequested) p.Completion.TrySetCanceled(p.Cancellation);
            else group.Add(p);
        }
    }

    static SqliteCommand Command(SqliteConnection c, IDbTransaction tx, string sql)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = (SqliteTransaction)tx;
        return command;
    }

    sealed record Target
    {
        public string Status { get; init; } = "";
        public string? AuthorId { get; init; }
    }

    /// <summary>One report, inside the caller's transaction: the rules of docs/POLICY.md, unchanged by grouping.</summary>
    static async Task<ReportResult> ApplyAsync(IDbConnection c, IDbTransaction tx, Pending p, CancellationToken ct)
    {
        var (commentId, policy, now) = (p.CommentId, p.Policy, p.Now);
        // Status and author in one read (the author's record weighs in the queue priority).
        var target = await c.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(
            "SELECT status AS Status, author_id AS AuthorId FROM comments WHERE comment_id = @commentId", new { commentId }, tx, cancellationToken: ct));
        if (target is null) return new ReportResult(ReportOutcome.NotFound, 0, null);
        var status = target.Status;
        var inserted = await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO reports (comment_id, reporter_key, address_key, reason, details, created_at)
            VALUES (@commentId, @reporterKey, @addressKey, @reason, @details, @at)
            ON CONFLICT (comment_id, reporter_key) DO NOTHING
            """, new { commentId, reporterKey = p.ReporterKey, addressKey = p.AddressKey, reason = p.Reason, details = p.Details, at = Database.Time(now) },
            tx, cancellationToken: ct));
        // A duplicate, or a report on a comment that is not shown and queued (received, decided), changes nothing
        // but the stored row: only the count is reported back, so the weights need not be computed.
        if (inserted == 0) return new ReportResult(ReportOutcome.Duplicate, await ReportTallies.CountAsync(c, tx, commentId, ct), status);
        if (status is not (CommentStatus.Published or CommentStatus.Pending or CommentStatus.Hidden))
            return new ReportResult(ReportOutcome.Added, await ReportTallies.CountAsync(c, tx, commentId, ct), status);

        var tally = await ReportTallies.ForCommentAsync(c, tx, commentId, policy, ct);
        var after = status == CommentStatus.Hidden || policy.Hides(tally) ? CommentStatus.Hidden : CommentStatus.Pending;
        var reasons = policy.Merge(await QueueRepository.ReasonsAsync(c, tx, commentId, ct), tally);
        var authorRate = target.AuthorId is null ? 0 : await Authors.AuthorRepository.RejectionRateAsync(c, tx, target.AuthorId, now, ct);
        await QueueRepository.FlagAsync(c, tx, commentId, reasons, ModerationPolicy.Priority(reasons, tally.Weight, after == CommentStatus.Hidden, authorRate), now, ct);
        if (after != status)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId",
                new { after, at = Database.Time(now), commentId }, tx, cancellationToken: ct));
            var detail = new { tally.Count, weight = Math.Round(tally.Weight, 3), tally.ByReason };
            await AuditLog.WriteAsync(c, tx, now, "reader", "reported", commentId, status, after, detail, ct);
            await Outbox.StatusChangedAsync(c, tx, commentId, status, after, detail, now, ct);
        }
        return new ReportResult(ReportOutcome.Added, tally.Count, after);
    }

    public async Task<ReportTally> TallyAsync(string commentId, ReportPolicy policy, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ReportTallies.ForCommentAsync(c, null, commentId, policy, ct);
    }

    /// <summary>Stops taking reports and waits until every queued one is written and its caller answered.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        Task? running;
        lock (startLock) running = writer;
        if (running is not null) await running.ConfigureAwait(false);
    }

    /// <summary>The host's container may dispose synchronously (WebApplicationFactory does): same drain, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
