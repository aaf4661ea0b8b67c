using System.Data;
using System.Data.Common;

namespace Moderation.Storage;

/// <summary>
/// Writes whose results nobody reads (a worker batch's score rows, statuses, audit entries, queue entries; a report
/// group's queue entries), held and sent to the server together, in one round trip, where the engine takes batches
/// (PostgreSQL, through <see cref="DbBatch"/>); on SQLite, where a statement is a function call in this process, each
/// runs at once. Held writes run in the order they were given and before anything else the transaction runs through
/// this buffer: <see cref="PreparedCommand.Run"/> flushes first, and <see cref="Read"/> sends them in the same round
/// trip as its reads. A caller that runs other statements in between (Dapper) calls <see cref="Flush"/> first, unless
/// those statements neither read nor write the rows the held ones write (say so where they run), and flushes before it
/// commits. On PostgreSQL a worker batch of 64 comments took ~30 ms as ~200 separate round trips
/// (docs/SCALING.md, "PostgreSQL: round trips").
/// </summary>
internal sealed class WriteBuffer(IDbConnection connection, IDbTransaction? transaction) : IDisposable
{
    readonly DbConnection connection = (DbConnection)connection;
    DbBatch? batch;

    /// <summary>True when writes are held until <see cref="Flush"/> (the engine takes batches).</summary>
    public bool Holds => connection.CanCreateBatch;

    public IDbConnection Connection => connection;

    /// <summary>The transaction held writes belong to (a buffer that lives as long as its connection joins each new one).</summary>
    public IDbTransaction? Transaction { get; set; } = transaction;

    /// <summary>Holds one run of <paramref name="command"/> with the values bound to it now.</summary>
    public void Add(DbCommand command) => Copy(batch ??= CreateBatch(), command);

    /// <summary>Runs what is held, in order, in one round trip.</summary>
    public void Flush()
    {
        if (batch is null) return;
        var sending = batch;
        batch = null;
        using (sending) sending.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs what is held, then <paramref name="count"/> reads, each bound by <paramref name="bind"/> (it returns a bound
    /// command; every read returns rows), and hands each read's result to <paramref name="onResult"/> with its index:
    /// on PostgreSQL all in one round trip (each read's values are copied as it is bound, so one command may be bound
    /// again for the next read), on SQLite one by one.
    /// </summary>
    public void Read(int count, Func<int, DbCommand> bind, Action<int, DbDataReader> onResult)
    {
        if (!Holds)
        {
            for (var i = 0; i < count; i++)
            {
                using var one = bind(i).ExecuteReader();
                onResult(i, one);
            }
            return;
        }
        using var sending = batch ?? CreateBatch();
        batch = null;
        for (var i = 0; i < count; i++) Copy(sending, bind(i));
        using var reader = sending.ExecuteReader();
        // Only statements that return rows have a result (PostgreSQL sends none for a plain write).
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && !reader.NextResult()) throw new InvalidOperationException($"{count} results expected, {i} given");
            onResult(i, reader);
        }
    }

    /// <summary>Forgets what is held (its transaction was rolled back, or is being run again).</summary>
    public void Clear()
    {
        batch?.Dispose();
        batch = null;
    }

    static void Copy(DbBatch into, DbCommand command)
    {
        var held = into.CreateBatchCommand();
        held.CommandText = command.CommandText;
        foreach (DbParameter p in command.Parameters)
        {
            var copy = held.CreateParameter();
            copy.ParameterName = p.ParameterName;
            copy.Value = p.Value;
            held.Parameters.Add(copy);
        }
        into.BatchCommands.Add(held);
    }

    DbBatch CreateBatch()
    {
        var b = connection.CreateBatch();
        b.Transaction = (DbTransaction?)Transaction;
        return b;
    }

    public void Dispose() => batch?.Dispose();
}
