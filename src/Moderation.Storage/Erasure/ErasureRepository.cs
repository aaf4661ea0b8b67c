using System.Data;
using Dapper;
using Moderation.Storage.Audit;
using Moderation.Storage.Reports;

namespace Moderation.Storage.Erasure;

/// <summary>What one erasure removed (counts only).</summary>
public sealed record AuthorErasure(int Comments, int Reports, int DecidedTexts, int AuditDetails, bool LogTruncated);

public sealed record ReporterErasure(int Reports, bool LogTruncated);

/// <summary>
/// Erases one person's data on request (docs/OPERATIONS.md, "Erasure"). An author's comments go whole, with everything
/// that holds their text or evidence from it: scores (reasons quote matched words, the embedding), queue entries
/// (excerpt, reasons, a moderator's note), texts kept from before an edit (migration 009), other readers' reports on
/// them (their details may quote the text); the audit rows stay (who decided what, when) with their detail cleared.
/// A comment re-sent later under the same id is therefore new. A reporter's reports stay counted on their comments but
/// lose the reporter id, the address hash and the details.
/// <para>
/// Each runs with <c>secure_delete</c>, so SQLite overwrites the freed bytes instead of leaving them in free pages, and
/// then truncates the log; with <c>vacuum</c> it rebuilds the file first (the only way to clear older leftovers). One audit entry says an erasure happened and of what kind, never whose or what; a request
/// that finds nothing writes none (idempotent).
/// </para>
/// </summary>
public sealed class ErasureRepository(Database db)
{
    public async Task<AuthorErasure> EraseAuthorAsync(string authorId, bool vacuum, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var (comments, reports, decided, audit) = await SecurelyAsync(async (c, tx) =>
        {
            var ids = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT comment_id FROM comments WHERE author_id = @authorId", new { authorId }, tx, cancellationToken: ct))).AsList();
            if (ids.Count == 0) return (0, 0, 0, 0);
            int reports = 0, decided = 0, audit = 0, comments = 0;
            foreach (var chunk in ids.Chunk(500))
            {
                var p = new { ids = chunk };
                reports += await Run(c, tx, $"DELETE FROM reports WHERE {c.In("comment_id", "@ids")}", p, ct);
                await Run(c, tx, $"DELETE FROM queue WHERE {c.In("comment_id", "@ids")}", p, ct);
                await Run(c, tx, $"DELETE FROM scores WHERE {c.In("comment_id", "@ids")}", p, ct);
                decided += await Run(c, tx, $"DELETE FROM decided_texts WHERE {c.In("comment_id", "@ids")}", p, ct);
                audit += await Run(c, tx, $"UPDATE audit SET detail = NULL WHERE {c.In("comment_id", "@ids")} AND detail IS NOT NULL", p, ct);
                comments += await Run(c, tx, $"DELETE FROM comments WHERE {c.In("comment_id", "@ids")}", p, ct);
            }
            await AuditLog.WriteAsync(c, tx, now, actor, "erased", null, null, null, new { subject = "author" }, ct);
            return (comments, reports, decided, audit);
        }, ct);
        var truncated = await Finish(vacuum, ct);
        return new AuthorErasure(comments, reports, decided, audit, truncated);
    }

    public async Task<ReporterErasure> EraseReporterAsync(string reporterId, bool vacuum, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var reports = await SecurelyAsync(async (c, tx) =>
        {
            // 'ip:' keys weigh as anonymous readers with no record: the report still counts once, as nobody in particular.
            var n = await Run(c, tx, $"""
                UPDATE reports SET reporter_key = '{AnonymousKeySql.ErasedPrefix}' || id, address_key = NULL, details = NULL
                WHERE reporter_key = 'id:' || @reporterId
                """, new { reporterId }, ct);
            if (n > 0) await AuditLog.WriteAsync(c, tx, now, actor, "erased", null, null, null, new { subject = "reporter" }, ct);
            return n;
        }, ct);
        return new ReporterErasure(reports, await Finish(vacuum, ct));
    }

    /// <summary>
    /// secure_delete zeroes what this erasure frees, but not what earlier writes left behind inside pages (the row as it
    /// was before an edit, with the author's name and old text): only VACUUM clears that, so the caller chooses it.
    /// </summary>
    Task<bool> Finish(bool vacuum, CancellationToken ct) => vacuum ? db.VacuumAsync(ct) : db.TruncateLogAsync(ct);

    /// <summary>One transaction on a connection with secure_delete on, switched off again before the pool takes it back.</summary>
    async Task<T> SecurelyAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("PRAGMA secure_delete = ON", cancellationToken: ct));
        try { return await db.InTransactionAsync(c, tx => work(c, tx), ct); }
        finally { await c.ExecuteAsync("PRAGMA secure_delete = OFF"); }
    }

    static Task<int> Run(IDbConnection c, IDbTransaction tx, string sql, object param, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(sql, param, tx, cancellationToken: ct));
}
