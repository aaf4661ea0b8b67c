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
    /// On PostgreSQL, locks the row of the report counter (migration 007) first thing in a transaction that writes
    /// reports or decides comments. Such a transaction bumps that one row through a trigger anyway, after it locked a
    /// queue row; two of them locking the same queue rows and the counter in opposite orders deadlocked (a report group
    /// on c1 then c2, a decision on c2). Taken first, they queue on the counter instead, as they would at its update.
    /// On SQLite the write lock is the whole database already.
    /// </summary>
    public const string LockReportCounterSql = "SELECT value FROM report_generation WHERE id = 1 FOR UPDATE";

    public static Task LockReportCounterAsync(this IDbConnection c, IDbTransaction tx, CancellationToken ct) =>
        c is NpgsqlConnection ? c.ExecuteAsync(new CommandDefinition(LockReportCounterSql, transaction: tx, cancellationToken: ct)) : Task.CompletedTask;
}
