using System.Data;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using System.Data.Common;
using Moderation.Core.Policy;
using Moderation.Storage.Comments;
using Moderation.Storage.Queue;

namespace Moderation.Storage.Reports;

public enum ReportOutcome { Added, Duplicate, NotFound }

public sealed record ReportResult(ReportOutcome Outcome, int Count, string? Status);

/// <summary>
/// Reader reports, written by group commit (reading them is <see cref="ReportRepository"/>'s). What a report does to
/// its comment is Core policy's decision (<see cref="CommentDecisions"/>); the writer reads the inputs and writes rows.
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
/// Between reports the writer keeps each reported comment's report sums (<see cref="TallyCache"/>), so a report probes
/// only its own reporter's record. See docs/PERFORMANCE.md, "Report endpoint".
/// </para>
/// </summary>
public sealed class ReportWriter(Database db) : IAsyncDisposable, IDisposable
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
    readonly TallyCache tallies = new();
    Task? writer;

    /// <summary>
    /// Records a report once per (comment, reporter) and applies <see cref="ReportPolicy"/> in the
    /// same transaction: a shown comment enters the queue, and enough reporters hide it. What a report does is
    /// decided by Core policy (<see cref="CommentDecisions.ReportsActOn"/>, <see cref="CommentDecisions.Reported"/>);
    /// the writer reads the inputs and writes the rows.
    /// A comment not scored yet only gets the report recorded; the worker counts it when it scores.
    /// Returns after the transaction that holds the report has committed.
    /// </summary>
    public Task<ReportResult> AddAsync(string commentId, string reporterKey, string? addressKey, string reason, string? details, ReportPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<ReportResult>(ct);
        var pending = new Pending(commentId, reporterKey, addressKey, reason, details, policy, now, ct);
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(ReportWriter), "the report writer has stopped");
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
        Statements? statements = null;
        try
        {
            while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                try
                {
                    // One connection for the writer's life, with its statements prepared once (re-opened after a failure).
                    statements ??= new Statements(await db.OpenAsync().ConfigureAwait(false));
                    if (!await WriteGroupAsync(statements, group).ConfigureAwait(false))
                    {
                        statements.Dispose();
                        statements = null;
                    }
                }
                catch (Exception e)
                {
                    // WriteGroupAsync completes every report it took; this is a last resort so no caller waits forever.
                    foreach (var p in group) p.Completion.TrySetException(e);
                    statements?.Dispose();
                    statements = null;
                }
                group.Clear();
            }
        }
        finally
        {
            statements?.Dispose();
        }
    }

    readonly record struct Applied(ReportResult? Result, Exception? Error);

    /// <summary>Writes one group; false when the group's transaction failed (its reports were then written one by one).</summary>
    async Task<bool> WriteGroupAsync(Statements s, List<Pending> group)
    {
        Applied[] applied;
        var inserted = 0;
        try
        {
            var attempts = 0;
            applied = await db.InTransactionAsync(s.Connection, async tx =>
            {
                // PostgreSQL runs the group again after a serialization failure: the held tallies may hold what it undid.
                if (attempts++ > 0) tallies.Clear();
                // Taken after the write lock: whatever queued while we waited for it joins this group.
                Take(group);
                s.Enlist(tx);
                s.LockCounter?.Write();   // held: it goes first in the group's first round trip
                var results = new Applied[group.Count];
                for (var i = 0; i < group.Count;)
                {
                    if (s.Save is null)
                    {
                        // PostgreSQL: an error aborts the whole transaction, so a report that throws fails the group, which
                        // is then written one report per transaction (below): every caller still gets its own outcome.
                        // Two round trips fewer per report than a savepoint around each. The reads of a wave of
                        // consecutive reports on different comments go in one round trip (Wave).
                        var end = WaveEnd(group, i);
                        var probed = Probe(s, group, i, end);
                        for (var j = i; j < end; j++)
                            results[j] = new(await ApplyAsync(s, tx, group[j], probed[j - i], tallies).ConfigureAwait(false), null);
                        i = end;
                        continue;
                    }
                    s.Save.Run();
                    try
                    {
                        results[i] = new(await ApplyAsync(s, tx, group[i], Probe(s, group, i, i + 1)[0], tallies).ConfigureAwait(false), null);
                    }
                    catch (Exception e) when (!Database.MustRetry(e))
                    {
                        results[i] = new(null, e);
                        s.Rollback!.Run();
                        tallies.Clear();   // it may hold rows the rollback undid
                    }
                    s.Release!.Run();
                    i++;
                }
                inserted = results.Count(r => r.Result?.Outcome == ReportOutcome.Added);
                s.Bump(inserted);
                s.Buffer.Flush();   // the last report's queue entry and the counter's bump, before COMMIT
                return results;
            }).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // BEGIN, COMMIT or a savepoint failed and the whole group was rolled back: one transaction per report,
            // so each caller gets its own outcome (if the database cannot be opened at all, each its own error).
            // These run without the held tallies, which may hold rows the rollback undid.
            tallies.Clear();
            if (group.Count == 0) Take(group);
            foreach (var p in group)
            {
                try
                {
                    p.Completion.TrySetResult(await db.InTransactionAsync(async (c, tx) =>
                    {
                        using var one = new Statements((DbConnection)c, owner: false);
                        one.Enlist((DbTransaction)tx);
                        one.LockCounter?.Write();
                        var result = await ApplyAsync(one, (DbTransaction)tx, p, Probe(one, [p], 0, 1)[0], held: null).ConfigureAwait(false);
                        one.Bump(result.Outcome == ReportOutcome.Added ? 1 : 0);
                        one.Buffer.Flush();
                        return result;
                    }).ConfigureAwait(false));
                }
                catch (Exception e) { p.Completion.TrySetException(e); }
            }
            return false;
        }
        // Committed: now, and only now, the callers hear back.
        tallies.Committed(inserted);
        for (var i = 0; i < group.Count; i++)
        {
            if (applied[i].Error is { } error) group[i].Completion.TrySetException(error);
            else group[i].Completion.TrySetResult(applied[i].Result!);
        }
        return true;
    }

    void Take(List<Pending> group)
    {
        while (group.Count < MaxGroup && queue.Reader.TryRead(out var p))
        {
            if (p.Cancellation.IsCancellationRequested) p.Completion.TrySetCanceled(p.Cancellation);
            else group.Add(p);
        }
    }

    /// <summary>
    /// The statements every report runs, prepared once per connection and re-bound per report (preparing them
    /// each time was a good part of a report's CPU). The SQL is the one the Dapper paths run.
    /// </summary>
    sealed class Statements : IDisposable
    {
        readonly bool owner;
        readonly List<PreparedCommand> all = [];

        public Statements(DbConnection connection, bool owner = true)
        {
            Connection = connection;
            this.owner = owner;
            Buffer = new WriteBuffer(connection, null);
            Insert = Add(InsertSql, "@commentId", "@reporterKey", "@addressKey", "@reason", "@details", "@at");
            Inputs = Add(InputsSql, "@commentId", "@reporterKey", "@named", "@since");
            Tally = Add(ReportTallies.RowsSql, "@commentId");
            Flag = Keep(QueueRepository.PrepareFlag(Buffer, QueueRepository.FlagReportedSql));
            CountQueued = Held("UPDATE queue SET report_count = report_count + 1 WHERE comment_id = @commentId", "@commentId");
            BumpCounter = Held("UPDATE report_generation SET value = value + @inserted", "@inserted");
            if (connection is Npgsql.NpgsqlConnection)
                LockCounter = Held(Sql.LockReportCounterSql);
            else
            {
                Save = Add("SAVEPOINT report");
                Release = Add("RELEASE report");
                Rollback = Add("ROLLBACK TO report");
            }
        }

        public DbConnection Connection { get; }
        /// <summary>The group's queue entries, held and sent with the next report's <see cref="Probe"/> (PostgreSQL).</summary>
        public WriteBuffer Buffer { get; }
        /// <summary>What <see cref="Probe"/> runs: the report's insert, then what the report reads (<see cref="InputsSql"/>).</summary>
        public PreparedCommand Insert { get; }
        public PreparedCommand Inputs { get; }
        public PreparedCommand Tally { get; }
        /// <summary>Queues the comment, counting the report on an entry that already existed (<see cref="QueueRepository.FlagReportedSql"/>).</summary>
        public PreparedCommand Flag { get; }
        /// <summary>Counts an inserted report on its comment's queue entry, if any, when the report does not flag it
        /// (migration 014: a report's insert fires no trigger).</summary>
        public PreparedCommand CountQueued { get; }
        PreparedCommand BumpCounter { get; }

        /// <summary>Moves the report counter by the reports this transaction inserted (migration 014), held until the last flush.</summary>
        public void Bump(int inserted)
        {
            if (inserted > 0) BumpCounter.Write((long)inserted);
        }
        /// <summary>PostgreSQL only: the counter's lock, taken first (<see cref="Sql.LockReportCounterSql"/>), held in
        /// <see cref="Buffer"/> so it travels in front of the first reads instead of in a round trip of its own.</summary>
        public PreparedCommand? LockCounter { get; }
        /// <summary>SQLite only: a savepoint around each report of a group (on PostgreSQL an error fails the group instead).</summary>
        public PreparedCommand? Save { get; }
        public PreparedCommand? Release { get; }
        public PreparedCommand? Rollback { get; }

        PreparedCommand Add(string sql, params string[] parameters) => Keep(new PreparedCommand(Connection, null, sql, parameters));

        /// <summary>A statement whose runs <see cref="Buffer"/> holds (<see cref="PreparedCommand.Write"/>).</summary>
        PreparedCommand Held(string sql, params string[] parameters) => Keep(new PreparedCommand(Buffer, sql, parameters));

        PreparedCommand Keep(PreparedCommand command)
        {
            all.Add(command);
            return command;
        }

        /// <summary>Joins a new transaction (or the same one run again: nothing held from an earlier try is kept).</summary>
        public void Enlist(DbTransaction tx)
        {
            foreach (var command in all) command.Transaction = tx;
            Buffer.Clear();
            Buffer.Transaction = tx;
        }

        public void Dispose()
        {
            Buffer.Dispose();
            foreach (var command in all) command.Dispose();
            if (owner) Connection.Dispose();
        }
    }

    /// <summary>
    /// The report's insert: nothing when the comment does not exist or this reader reported it already; its RETURNING row
    /// says whether it added one. Parameters: @commentId, @reporterKey, @addressKey, @reason, @details, @at.
    /// </summary>
    const string InsertSql = """
        INSERT INTO reports (comment_id, reporter_key, address_key, reason, details, created_at)
        SELECT @commentId, @reporterKey, @addressKey, @reason, @details, @at WHERE EXISTS (SELECT 1 FROM comments WHERE comment_id = @commentId)
        ON CONFLICT (comment_id, reporter_key) DO NOTHING
        RETURNING 1
        """;

    /// <summary>
    /// Everything a report reads, after its insert, in one row: the comment's status and author (NULL: no such comment),
    /// the report counter, the reporter's record (<see cref="ReportTallies.RecordSql"/>; zeros for an anonymous reporter,
    /// @named = 0), the comment's queue reasons and its author's recent record (zeros without an author). One statement
    /// where there were five (the author's record was a round trip of its own after the wave, for every report on a
    /// comment with an author): on PostgreSQL each statement of a wave is its own bind, execute and result on both
    /// sides, and the writer's server backend, the one serial path of the report endpoint, spent more time on those
    /// than on the reads. The comment's row is read after the insert, which changes no comment; the author's record
    /// counts decided comments only, which no report changes. Parameters: @commentId, @reporterKey, @named, @since
    /// (now − <see cref="Authors.AuthorRepository.RecentWindow"/>).
    /// </summary>
    static readonly string InputsSql = $"""
        SELECT c.status, c.author_id, (SELECT value FROM report_generation), record.Upheld, record.Dismissed,
            ({QueueRepository.ReasonsSql}),
            {Authors.AuthorRepository.RecentRecordColumns("c.author_id")}
        FROM ({ReportTallies.RecordSql} AND @named = 1) AS record
        LEFT JOIN comments c ON c.comment_id = @commentId
        """;

    /// <summary>What <see cref="Probe"/> read.</summary>
    readonly record struct Probed(bool Found, string? Status, string? AuthorId, bool Inserted, long Generation, long Upheld, long Dismissed, string? Queued,
        long AuthorDecided = 0, long AuthorRejected = 0);

    /// <summary>The most reports whose reads share one round trip (two statements each).</summary>
    const int MaxWave = 64;

    /// <summary>
    /// Where the wave that starts at <paramref name="start"/> ends: at the first report on a comment the wave already
    /// has (or <see cref="MaxWave"/>). Reports on different comments do not read what each other writes: a report writes
    /// its comment's queue entry, status and audit entry (never a decided status: CommentDecisions.Reported hides or
    /// queues), and reads its comment's status, queue reasons and reports, the report counter (which no report of the
    /// group moves: the group's bump comes after its last report) and its reporter's record (reports on decided
    /// comments). The wave's statements run in order (report 1's insert and reads, then report 2's, …), so each report's
    /// reads see what they would have seen one at a time. One read comes later: a comment's report rows read whole (the
    /// first report on it since the counter moved, <see cref="TallyOf"/>) are read after the whole wave, so a reporter's record there may
    /// already count a report the same reporter sent later in the wave on a decided comment, as if that one had come
    /// first. Both were in flight at once and commit together; the held tallies stay exact (that report makes the writer
    /// forget them, so the next report reads them whole again).
    /// </summary>
    static int WaveEnd(List<Pending> group, int start)
    {
        var comments = new HashSet<string>(StringComparer.Ordinal);
        var end = start;
        while (end < group.Count && end - start < MaxWave && comments.Add(group[end].CommentId)) end++;
        return end;
    }

    /// <summary>
    /// Everything the reports group[start..end) read, each with its insert, after the writes the group holds: on
    /// PostgreSQL one round trip for the whole wave where one report took seven (five statements, and the previous
    /// report's queue entry), and two statements per report (<see cref="InputsSql"/>). A report's reads follow its
    /// insert, as they did one by one. The reporter's record is not looked for an anonymous reporter (@named = 0).
    /// </summary>
    static Probed[] Probe(Statements s, List<Pending> group, int start, int end)
    {
        const int PerReport = 2;
        var probed = new Probed[end - start];
        Array.Fill(probed, new Probed(false, null, null, false, -1, 0, 0, null));
        s.Buffer.Read((end - start) * PerReport, i =>
        {
            var p = group[start + i / PerReport];
            return i % PerReport == 0
                ? s.Insert.Bind(p.CommentId, p.ReporterKey, p.AddressKey, p.Reason, p.Details, Database.Time(p.Now))
                : s.Inputs.Bind(p.CommentId, p.ReporterKey, ReportTallies.IsAnonymous(p.ReporterKey) ? 0 : 1,
                    Database.Time(p.Now - Authors.AuthorRepository.RecentWindow));
        }, (i, reader) =>
        {
            if (!reader.Read()) return;
            ref var r = ref probed[i / PerReport];
            r = i % PerReport == 0
                ? r with { Inserted = true }
                : r with
                {
                    Found = !reader.IsDBNull(0),
                    Status = reader.IsDBNull(0) ? null : reader.GetString(0),
                    AuthorId = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Generation = reader.GetInt64(2),
                    Upheld = reader.GetInt64(3),
                    Dismissed = reader.GetInt64(4),
                    Queued = reader.IsDBNull(5) ? null : reader.GetString(5),
                    AuthorDecided = reader.GetInt64(6),
                    AuthorRejected = reader.GetInt64(7),
                };
        });
        return probed;
    }

    /// <param name="held">The writer's held tallies (null: read the comment's reports whole, as when writing one report alone).</param>
    static async Task<ReportResult> ApplyAsync(Statements s, DbTransaction tx, Pending p, Probed probed, TallyCache? held)
    {
        var (commentId, policy, now, ct) = (p.CommentId, p.Policy, p.Now, CancellationToken.None);
        var c = s.Connection;
        if (!probed.Found) return new ReportResult(ReportOutcome.NotFound, 0, null);
        var status = probed.Status!;
        // The reads below (report counts, the author's rejections, report rows) run past the queue entries the buffer may
        // hold: those change no report, no comment's status and no reporter's record. The status change flushes first.
        // A duplicate, or a report on a comment that is not shown and queued (received, decided), changes nothing
        // but the stored row: only the count is reported back, so the weights need not be computed.
        if (!probed.Inserted) return new ReportResult(ReportOutcome.Duplicate, await ReportTallies.CountAsync(c, tx, commentId, ct), status);
        if (!CommentDecisions.ReportsActOn(status))
        {
            s.CountQueued.Write(commentId);
            // A report on a decided comment adds to its reporter's record, which rows held for other comments carry.
            // The counter's bump for it comes only with the group's commit: forget them now (TallyCache).
            if (status is CommentStatus.Approved or CommentStatus.Rejected) held?.Clear();
            return new ReportResult(ReportOutcome.Added, await ReportTallies.CountAsync(c, tx, commentId, ct), status);
        }

        // Read the inputs, let Core policy decide (CommentDecisions.Reported), write what it answers.
        var tally = TallyOf(s, p, probed, held);
        var authorRate = new Authors.AuthorStats { RecentDecided = probed.AuthorDecided, RecentRejected = probed.AuthorRejected }.RecentRejectionRate;
        var decided = CommentDecisions.Reported(status, tally, QueueRepository.ParseReasons(probed.Queued), policy, authorRate)!;
        var after = decided.Status;
        QueueRepository.Flag(s.Flag, commentId, decided.Reasons, decided.Priority, now);
        if (after != status)
        {
            s.Buffer.Flush();   // the queue entry first: Dapper's statements do not go through the buffer
            await c.ExecuteAsync(new CommandDefinition("UPDATE comments SET status = @after, updated_at = @at WHERE comment_id = @commentId",
                new { after, at = Database.Time(now), commentId }, tx, cancellationToken: ct));
            var detail = new { tally.Count, weight = Math.Round(tally.Weight, 3), tally.ByReason };
            await StatusChanges.WriteAsync(c, tx, new StatusChange(commentId, status, after, "reader", "reported", detail, detail), now, ct);
        }
        return new ReportResult(ReportOutcome.Added, tally.Count, after);
    }

    /// <summary>The comment's reports with the one just inserted, weighed: the held sums plus the probed record, or read whole.</summary>
    static ReportTally TallyOf(Statements s, Pending p, Probed probed, TallyCache? held)
    {
        if (held is not null)
        {
            held.Check(probed.Generation);
            if (held.Get(p.CommentId, p.Policy) is { } sums)
            {
                held.Add(sums, new ReportRow
                {
                    ReporterKey = p.ReporterKey, AddressKey = p.AddressKey ?? p.ReporterKey, Reason = p.Reason, Upheld = probed.Upheld, Dismissed = probed.Dismissed,
                });
                return sums.Tally();
            }
        }
        var all = p.Policy.Sums();
        using (var reader = s.Tally.Bind(p.CommentId).ExecuteReader())
        {
            while (reader.Read())
                all.Add(new ReportRow
                {
                    ReporterKey = reader.GetString(0), AddressKey = reader.GetString(1), Reason = reader.GetString(2),
                    Upheld = reader.GetInt64(3), Dismissed = reader.GetInt64(4),
                });
        }
        held?.Hold(p.CommentId, all);
        return all.Tally();
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
