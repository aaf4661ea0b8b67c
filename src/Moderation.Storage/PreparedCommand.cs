using System.Data;
using Microsoft.Data.Sqlite;

namespace Moderation.Storage;

/// <summary>
/// One statement compiled once and run many times inside a transaction with new values: for the hot loops
/// that write a row per comment of a batch. Dapper builds and compiles a command per call; this re-binds
/// the same compiled statement (about a third of the cost per row). Values are given in the order of the
/// parameter names; null is stored as NULL.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    readonly SqliteCommand command;

    public PreparedCommand(IDbConnection connection, IDbTransaction transaction, string sql, params string[] parameters)
    {
        command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
    }

    /// <summary>Runs the statement; returns the rows changed.</summary>
    public int Run(params object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{command.Parameters.Count} values expected, {values.Length} given", nameof(values));
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQuery();
    }

    public void Dispose() => command.Dispose();
}
