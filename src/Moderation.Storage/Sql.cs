using System.Data;
using Dapper;
using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// The few pieces of SQL that differ between SQLite and PostgreSQL. Everything else is written once, in what both
/// engines read the same way (docs/SCALING.md, "One SQL for two engines").
/// </summary>
internal static class Sql
{
    /// <summary>
    /// A column matched against a list parameter: <c>column IN @list</c> on SQLite, where Dapper expands the list into
    /// one parameter per item, and <c>column = ANY(@list)</c> on PostgreSQL, where Dapper passes the list as one array.
    /// </summary>
    public static string In(this IDbConnection c, string column, string parameter) =>
        c is NpgsqlConnection ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>
    /// Ends a sub-select whose rows the statement is about to take (a claim): on PostgreSQL rows another transaction is
    /// taking right now are skipped; on SQLite, with one writer at a time, there is nobody to skip.
    /// </summary>
    public static string SkipLocked(this IDbConnection c) => c is NpgsqlConnection ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>
    /// Ends a SELECT of rows the transaction is about to change: on PostgreSQL they are locked until it ends (nobody
    /// changes them in between); on SQLite the write transaction already holds the whole database.
    /// </summary>
    public static string ForUpdate(this IDbConnection c) => c is NpgsqlConnection ? " FOR UPDATE" : "";

    /// <summary>
    /// On PostgreSQL, the first statement of a transaction that writes reports or decides comments (report groups,
    /// decisions, undo, bulk). Such a transaction bumps the report counter (migration 007) through a trigger after it
    /// touched queue rows, and two of them in opposite orders deadlocked (a report group on c1 then c2, a decision on c2);
    /// under SERIALIZABLE they also failed each other often. They now take turns from their start, as on SQLite, where
    /// the write lock is the whole database. A table lock, not a row lock: LOCK TABLE before any query makes the
    /// transaction's snapshot only after the lock is held, so the next in turn sees what the last one wrote instead of
    /// failing on it. The mode conflicts with itself and with <see cref="ShareReportCounterSql"/>.
    /// </summary>
    public const string LockReportCounterSql = "LOCK TABLE report_generation IN SHARE ROW EXCLUSIVE MODE";

    /// <summary>
    /// The worker's batch write on PostgreSQL: it reads report tallies and queue rows that report groups and decisions
    /// write, and lost to them as a serialization failure twenty times in a row under a stream of reports. Worker
    /// batches share this lock with each other (several workers write at once) and wait for a report group or decision
    /// to end, as those wait for them. First statement, like <see cref="LockReportCounterSql"/>.
    /// </summary>
    public const string ShareReportCounterSql = "LOCK TABLE report_generation IN SHARE MODE";

    public static Task LockReportCounterAsync(this IDbConnection c, IDbTransaction tx, CancellationToken ct) => OnPostgresAsync(c, tx, LockReportCounterSql, ct);

    public static Task ShareReportCounterAsync(this IDbConnection c, IDbTransaction tx, CancellationToken ct) => OnPostgresAsync(c, tx, ShareReportCounterSql, ct);

    /// <summary><see cref="ShareReportCounterSql"/> as the first statement of a multi-statement command on PostgreSQL
    /// (it returns no rows, so readers of the command's results never see it); nothing on SQLite.</summary>
    public static string ShareReportCounterFirst(this IDbConnection c) => c is NpgsqlConnection ? ShareReportCounterSql + ";" : "";

    static Task OnPostgresAsync(IDbConnection c, IDbTransaction tx, string sql, CancellationToken ct) =>
        c is NpgsqlConnection ? c.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct)) : Task.CompletedTask;
}
