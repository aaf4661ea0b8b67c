using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Comments;
using Moderation.Core.Relevance;

namespace Moderation.Worker.Tests;

/// <summary>A real SQLite file, the worker's services wired as the host wires them, a fake clock, and a scorer the test controls.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "moderation-worker-tests", Guid.NewGuid().ToString("N"));
    readonly ServiceProvider services;

    public WorkerHarness(ICommentScorer scorer, int batchSize = 8)
    {
        Directory.CreateDirectory(folder);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Worker:Enabled"] = "false",
            ["Moderation:Worker:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Moderation:Worker:MaxAttempts"] = "3",
            ["Moderation:Worker:RetryDelay"] = "00:00:10",
        }).Build();
        services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(Moderation.Tests.TestStores.NewDatabase(folder))
            .AddModerationRepositories()
            .AddSingleton(scorer)
            .AddModerationWorker(config)
            .BuildServiceProvider();
        Storage = new StorageServices(services);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public StorageServices Storage { get; }

    /// <summary>A new processor: a separate worker with its own lease owner.</summary>
    public BatchProcessor NewProcessor() => ActivatorUtilities.CreateInstance<BatchProcessor>(services);

    public async Task InitializeAsync() => await new Migrator(Storage.Database).MigrateAsync();

    public async Task AddArticleAsync(string articleId, string body = "Bike lanes on Main Street")
    {
        var now = Database.Time(Clock.GetUtcNow());
        await Storage.Articles.UpsertAsync(new ArticleRow { ArticleId = articleId, Title = "Title", Body = body, CreatedAt = now, UpdatedAt = now },
            new HashSet<string> { "bike", "lanes" }, CancellationToken.None);
    }

    public async Task AddCommentsAsync(string articleId, int count, string prefix = "c")
    {
        for (var i = 0; i < count; i++)
            await Storage.Comments.IngestAsync(new NewComment($"{prefix}{i}", articleId, $"comment number {i}", null, null, null, null), Clock.GetUtcNow(), CancellationToken.None);
    }

    /// <summary>Runs batches until the inbox has nothing due.</summary>
    public static async Task DrainAsync(BatchProcessor processor)
    {
        while (await processor.RunOnceAsync(CancellationToken.None) > 0) { }
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var c = await Storage.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Moderation.Tests.TestStores.Drop(Storage.Database);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A scorer whose behaviour each test sets: flags texts containing "bad", can fail on chosen comments.</summary>
public sealed class ScriptedScorer : ICommentScorer
{
    public Func<string, bool> FailOn { get; set; } = _ => false;
    public Action<string>? BeforeScore { get; set; }
    public int ProfilesBuilt;
    public int Scored;
    /// <summary>What each comment was scored against: the article body and how many thread siblings it saw.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string Body, int Siblings)> Seen { get; } = new();

    public int ProfileVersion => 1;

    public byte[] BuildArticleProfile(string title, string body)
    {
        Interlocked.Increment(ref ProfilesBuilt);
        return [1, 2, 3];
    }

    public IReadOnlySet<string> ArticleTerms(string title, string body) => new HashSet<string>();

    public ScoreResult Score(string text, ArticleToScore article, ThreadToScore thread, IDocumentFrequencies terms)
    {
        BeforeScore?.Invoke(text);
        if (FailOn(text)) throw new InvalidOperationException("scorer broke on " + text);
        Interlocked.Increment(ref Scored);
        Seen[text] = (article.Body, thread.SiblingWordCounts.Count);
        // "bad" is flagged (pending), "awful" hidden: profanity 0.8 and 0.95 against the default 0.5 / 0.9.
        var score = text.Contains("awful", StringComparison.Ordinal) ? 0.95 : text.Contains("bad", StringComparison.Ordinal) ? 0.8 : 0;
        return new ScoreResult(new Scores(score, 1, 0), score > 0 ? [new Reason(ReasonCodes.Profanity, score)] : []);
    }
}
