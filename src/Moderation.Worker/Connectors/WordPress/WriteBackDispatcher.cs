using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Policy;
using Moderation.Storage.Sources;

namespace Moderation.Worker.Connectors.WordPress;

/// <summary>
/// Works the write-back outbox: sets a WordPress comment's status (<c>POST /wp/v2/comments/{id}</c> with
/// <c>status</c>) to what the comment's status here asks for (Core <see cref="SiteModeration.WantedOnSite"/>). A site
/// that is down is tried again with a doubling delay up to <see cref="ConnectorOptions.WriteBackMaxBackoff"/>, for
/// as long as it takes; a comment the site no longer has (404, 410) or a request it refuses (400) is given up and audited.
/// </summary>
public sealed class WriteBackDispatcher(SourceConnectors connectors, WriteBackRepository outbox, IOptions<ConnectorOptions> options,
    TimeProvider time, ILogger<WriteBackDispatcher> log) : BackgroundService
{
    readonly Dictionary<string, SourceHttp> clients = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunDueAsync(stoppingToken) > 0) continue;
                await Task.Delay(options.Value.WriteBackPollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "Write-back failed; retrying");
                try { await Task.Delay(options.Value.WriteBackRetryDelay, time, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>Applies every write-back that is due now; returns how many it handled.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var due = await outbox.DueAsync(time.GetUtcNow(), 20, ct);
        foreach (var item in due) await ApplyAsync(item, ct);
        return due.Count;
    }

    async Task ApplyAsync(WriteBackItem item, CancellationToken ct)
    {
        var source = connectors.Configured.FirstOrDefault(s => s.Key == item.Source);
        if (source is null || !source.WritesBack)
        {
            await outbox.DoneAsync(item, "off", null, time.GetUtcNow(), ct);
            return;
        }
        var wanted = SiteModeration.WantedOnSite(item.Status, item.SiteStatus, source.RejectAs);
        if (wanted is null || wanted == (item.WrittenStatus ?? item.SiteStatus))
        {
            await outbox.DoneAsync(item, "unchanged", null, time.GetUtcNow(), ct);
            return;
        }
        var http = Http(source);
        var url = WordPressConnector.ApiUrl(source, $"comments/{item.RemoteId}");
        string error;
        HttpStatusCode? status = null;
        try
        {
            var answer = await http.PostJsonAsync(url, new { status = wanted }, ct);
            log.LogDebug("Source {Source}: comment {Id} set to {Status}", source.Key, item.RemoteId, wanted);
            await outbox.DoneAsync(item, wanted, StatusIn(answer.Body) ?? wanted, time.GetUtcNow(), ct);
            return;
        }
        catch (SourceException e)
        {
            error = e.Message;
            status = e.Status;
        }
        // WordPress answers 500 rest_comment_failed_edit when the comment already has the status (set there meanwhile,
        // or our earlier attempt landed but its answer was lost): read it before calling that a failure.
        if (status == HttpStatusCode.InternalServerError && await CurrentStatusAsync(http, source, item.RemoteId, ct) == wanted)
        {
            await outbox.DoneAsync(item, wanted, wanted, time.GetUtcNow(), ct);
            return;
        }
        var o = options.Value;
        var attempts = (int)item.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(o.WriteBackMaxBackoff.Ticks, o.WriteBackRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var giveUp = status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Gone;
        log.LogWarning("Source {Source}: write-back of comment {Id} ({Status}) failed: {Error}; {Next}", source.Key, item.RemoteId, wanted, error,
            giveUp ? "giving up" : $"retrying in {delay}");
        await outbox.FailedAsync(item, error, time.GetUtcNow() + delay, giveUp, time.GetUtcNow(), ct);
    }

    async Task<string?> CurrentStatusAsync(SourceHttp http, SourceOptions source, long remoteId, CancellationToken ct)
    {
        try { return StatusIn((await http.GetAsync(WordPressConnector.ApiUrl(source, $"comments/{remoteId}?context=edit"), ct)).Body); }
        catch (SourceException) { return null; }
    }

    static string? StatusIn(string body)
    {
        try { return JsonSerializer.Deserialize<WpComment>(body, WpJson.Options)?.Status; }
        catch (JsonException) { return null; }
    }

    SourceHttp Http(SourceOptions source)
    {
        lock (clients)
        {
            if (!clients.TryGetValue(source.Key, out var http)) clients[source.Key] = http = connectors.Http(source);
            return http;
        }
    }
}
