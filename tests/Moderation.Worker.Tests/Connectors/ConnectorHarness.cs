using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderation.Storage;
using Moderation.Storage.Sources;
using Moderation.Worker.Connectors;

namespace Moderation.Worker.Tests.Connectors;

/// <summary>
/// The connector's services wired as the host wires them, over a real SQLite file, with one source. Short
/// retry delays keep the failure tests fast. <see cref="RestartAsync"/> throws the services away
/// and builds them again over the same file, as a restarted service would.
/// </summary>
public sealed class ConnectorHarness : IAsyncDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "moderation-connector-tests", Guid.NewGuid().ToString("N"));
    readonly Dictionary<string, string?> settings;

    /// <summary>The configuration; a change takes effect at the next <see cref="RestartAsync"/>.</summary>
    public Dictionary<string, string?> Settings => settings;
    readonly TimeProvider time;
    ServiceProvider services = null!;

    /// <param name="time">The clock the services use (a fake one to step over write-back backoffs); the system's by default.</param>
    public ConnectorHarness(string type, Uri url, Dictionary<string, string?>? source = null, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        Directory.CreateDirectory(folder);
        settings = new Dictionary<string, string?>
        {
            ["Moderation:Worker:Enabled"] = "false",
            ["Moderation:Sources:0:Type"] = type,
            ["Moderation:Sources:0:Url"] = url.ToString().TrimEnd('/'),
            ["Moderation:Sources:0:Name"] = "site",
            ["Moderation:Connectors:PageSize"] = "10",
            // Long enough that a normal answer on a busy 2-core machine never times out (a time-out retries the
            // request, which would hide a one-off fault from the test); the "slow" fault costs this per attempt.
            ["Moderation:Connectors:AttemptTimeout"] = "00:00:02",
            ["Moderation:Connectors:RetryDelay"] = "00:00:00.005",
            ["Moderation:Connectors:MaxRetries"] = "3",
            ["Moderation:Connectors:WriteBackRetryDelay"] = "00:00:00",
        };
        foreach (var (k, v) in source ?? []) settings["Moderation:Sources:0:" + k] = v;
        Build();
    }

    public StorageServices Storage { get; private set; } = null!;

    public ScriptedScorer Scorer { get; } = new();

    void Build()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(time)
            .AddSingleton(Storage is null ? Moderation.Tests.TestStores.NewDatabase(folder) : Moderation.Tests.TestStores.Reopen(Storage.Database))   // a restart: the same store
            .AddModerationRepositories()
            .AddSingleton<Core.Scoring.ICommentScorer>(Scorer)
            .AddModerationWorker(config)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Storage = new StorageServices(services);
    }

    public async Task InitializeAsync() => await new Migrator(Storage.Database).MigrateAsync();

    public ISourceConnector Connector()
    {
        var connectors = services.GetRequiredService<SourceConnectors>();
        return connectors.Create(connectors.Configured[0]);
    }

    public IngestService Ingest => services.GetRequiredService<IngestService>();

    /// <summary>Scores what came in, as the worker does: hidden and flagged comments go to the queue.</summary>
    public Task<int> ScoreAsync() => services.GetRequiredService<BatchProcessor>().DrainAsync(CancellationToken.None);

    /// <summary>Sends the write-backs that are due, as the dispatcher's loop does; returns how many it handled.</summary>
    public Task<int> WriteBackAsync() => services.GetRequiredService<Worker.Connectors.WordPress.WriteBackDispatcher>().RunDueAsync(CancellationToken.None);

    public Task<string?> StatusAsync(string commentId) => Storage.Comments.GetStatusAsync(commentId, CancellationToken.None);

    public Task<PollResult> PollAsync() => Connector().PollAsync(CancellationToken.None);

    public Task<SourceRow?> SourceAsync() => Storage.Sources.GetAsync("site", CancellationToken.None);

    public async Task RestartAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Build();
        await InitializeAsync();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var c = await Storage.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }

    /// <summary>Every comment once: one row and one 'received' entry each, and no edits.</summary>
    public async Task AssertEachOnceAsync(int expected)
    {
        Assert.Equal(expected, await CountAsync("SELECT count(*) FROM comments"));
        Assert.Equal(expected, await CountAsync("SELECT count(DISTINCT comment_id) FROM audit WHERE action = 'received'"));
        Assert.Equal(expected, await CountAsync("SELECT count(*) FROM audit WHERE action = 'received'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit WHERE action = 'edited'"));
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Moderation.Tests.TestStores.Drop(Storage.Database);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
