using System.Data;
using Microsoft.Data.Sqlite;

namespace Moderation.Storage;

/// <summary>
/// One statement made once and run many times with new values: for the hot loops that write a row per comment of
/// a batch, and the report writer's statements that live as long as its connection. Dapper builds a command per
/// call and SQLite parses it again each time; this re-binds the same compiled statement. Values are given in the
/// order of the parameter names; null is stored as NULL.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    readonly SqliteCommand command;

    public PreparedCommand(IDbConnection connection, IDbTransaction? transaction, string sql, params string[] parameters)
    {
        command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction?)transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
    }

    /// <summary>The transaction the next runs belong to (a long-lived statement joins each new transaction).</summary>
    public SqliteTransaction? Transaction
    {
        get => command.Transaction;
        set => command.Transaction = value;
    }

    /// <summary>Sets the values; the command is then run by the caller (e.g. <c>ExecuteReader</c>).</summary>
    public SqliteCommand Bind(params object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{command.Parameters.Count} values expected, {values.Length} given", nameof(values));
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    /// <summary>Runs the statement with these values; returns the rows changed.</summary>
    public int Run(params object?[] values) => Bind(values).ExecuteNonQuery();

    public void Dispose() => command.Dispose();
}
