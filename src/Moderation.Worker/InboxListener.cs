using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage;
using Moderation.Storage.Inbox;

namespace Moderation.Worker;

/// <summary>Wakes this process's worker when any process adds a comment to a PostgreSQL store (<see cref="InboxWakeups"/>); idle on SQLite.</summary>
public sealed class InboxListener(Database db, WorkSignal signal, IOptions<WorkerOptions> options, ILogger<InboxListener> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        InboxWakeups.ListenAsync(db, signal.Notify, options.Value.PollInterval,
            e => log.LogWarning("Listening for new comments failed, polling every {PollInterval} meanwhile: {Error}", options.Value.PollInterval, e.Message),
            stoppingToken);
}
