using System.Data;
using System.Data.Common;

namespace Moderation.Storage;

/// <summary>
/// One statement made once and run many times with new values: for the hot loops that write a row per comment of
/// a batch, and the report writer's statements that live as long as its connection. Dapper builds a command per
/// call and the engine parses it again each time; this re-binds the same compiled statement (on PostgreSQL,
/// Npgsql's automatic preparation does the same for every statement run often: Database.ForPostgres). Values are given in the order of the parameter names;
/// null is stored as NULL.
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    readonly DbCommand command;
    readonly WriteBuffer? buffer;

    public PreparedCommand(IDbConnection connection, IDbTransaction? transaction, string sql, params string[] parameters)
    {
        command = (DbCommand)connection.CreateCommand();
        command.Transaction = (DbTransaction?)transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
        }
    }

    /// <summary>A statement of a batch whose <see cref="Write"/>s the buffer holds and sends together (PostgreSQL).</summary>
    public PreparedCommand(WriteBuffer buffer, string sql, params string[] parameters)
        : this(buffer.Connection, buffer.Transaction, sql, parameters) => this.buffer = buffer;

    /// <summary>The transaction the next runs belong to (a long-lived statement joins each new transaction).</summary>
    public DbTransaction? Transaction
    {
        get => command.Transaction;
        set => command.Transaction = value;
    }

    /// <summary>Sets the values; the command is then run by the caller (e.g. <c>ExecuteReader</c>).</summary>
    public DbCommand Bind(params object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{command.Parameters.Count} values expected, {values.Length} given", nameof(values));
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    /// <summary>Runs the statement with these values now (after whatever its buffer holds); returns the rows changed.</summary>
    public int Run(params object?[] values)
    {
        buffer?.Flush();
        return Bind(values).ExecuteNonQuery();
    }

    /// <summary>Runs the statement with these values, or, with a buffer that holds writes, leaves it to the buffer's next
    /// flush: for writes whose row count nobody reads.</summary>
    public void Write(params object?[] values)
    {
        if (buffer is { Holds: true }) buffer.Add(Bind(values));
        else Run(values);
    }

    public void Dispose() => command.Dispose();
}
