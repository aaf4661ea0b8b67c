using Dapper;
using Npgsql;

namespace Moderation.Storage.Inbox;

/// <summary>
/// On PostgreSQL, comments that start waiting for the worker notify channel <see cref="Channel"/> (a trigger, migration
/// 013), whichever process wrote them. A worker process listens on one connection of its own and wakes its loop, so a
/// new comment posted to any API replica is scored promptly by an idle worker anywhere, without busy polling (the poll
/// interval stays as the fallback). On SQLite the writers share the worker's process, which wakes it in memory.
/// </summary>
public static class InboxWakeups
{
    public const string Channel = "moderation_inbox";

    /// <summary>
    /// Calls <paramref name="wake"/> for every notification until <paramref name="ct"/> ends; returns at once on SQLite.
    /// A lost connection is opened again after <paramref name="retry"/>, with one wake-up (comments may have arrived
    /// meanwhile); <paramref name="failed"/> hears why it was lost.
    /// </summary>
    public static async Task ListenAsync(Database db, Action wake, TimeSpan retry, Action<Exception> failed, CancellationToken ct)
    {
        if (!db.IsPostgres) return;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await db.OpenSessionAsync(ct);
                connection.Notification += (_, _) => wake();
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {Channel}", cancellationToken: ct));
                wake();
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                failed(e);
                try { await Task.Delay(retry, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
