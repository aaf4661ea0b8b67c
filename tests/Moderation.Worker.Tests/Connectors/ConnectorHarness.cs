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
    ServiceProvider services = null!;

    public ConnectorHarness(string type, Uri url, Dictionary<string, string?>? source = null)
    {
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
        };
        foreach (var (k, v) in source ?? []) settings["Moderation:Sources:0:" + k] = v;
        Build();
    }

    public StorageServices Storage { get; private set; } = null!;

    public ScriptedScorer Scorer { get; } = new();

    void Build()
    {
        Storage = new StorageServices(new Database(Path.Combine(folder, "moderation.db")));
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Storage)
            .AddSingleton<Core.Scoring.ICommentScorer>(Scorer)
            .AddModerationWorker(config)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public async Task InitializeAsync() => await new Migrator(Storage.Database).MigrateAsync();

    public ISourceConnector Connector()
    {
        var connectors = services.GetRequiredService<SourceConnectors>();
        return connectors.Create(connectors.Configured[0]);
    }

    public IngestService Ingest => services.GetRequiredService<IngestService>();

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
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
