using BenchmarkDotNet.Attributes;
using Dapper;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Inbox;
using Moderation.Storage.Queue;

namespace Moderation.Benchmarks;

/// <summary>
/// The worker's batch write (<see cref="InboxRepository.WriteBatchAsync"/>: scores, status, queue entries, audit in
/// one transaction) on a temporary SQLite file, for a batch of 64 comments of which one in four is flagged and a few
/// have reports. Each iteration resets the batch to 'received' first (not measured).
/// </summary>
[MemoryDiagnoser, Config(typeof(SingleInvocationConfig))]
public class WorkerWriteBenchmarks
{
    private string _dir = null!;
    private Database _db = null!;
    private InboxRepository _inbox = null!;
    private ScoredComment[] _batch = null!;
    private readonly ReportPolicy _policy = new(3);

    [Params(64)] public int BatchSize;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("modbench").FullName;
        _db = new Database(Path.Combine(_dir, "bench.db"));
        new Migrator(_db).MigrateAsync().GetAwaiter().GetResult();
        _inbox = new InboxRepository(_db);
        var now = Database.Time(DateTimeOffset.UtcNow);
        using var c = _db.OpenAsync().GetAwaiter().GetResult();
        c.Execute("INSERT INTO articles (article_id, title, body, created_at, updated_at) VALUES ('a1', 't', 'b', @now, @now)", new { now });
        for (int i = 0; i < BatchSize; i++)
            c.Execute("INSERT INTO comments (comment_id, article_id, text, author_id, status, received_at, updated_at) VALUES (@id, 'a1', 'text', @author, 'received', @now, @now)",
                new { id = $"c{i}", author = $"u{i % 7}", now });
        for (int i = 0; i < BatchSize; i += 16)
            c.Execute("INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES (@id, 'id:r1', 'spam', @now)", new { id = $"c{i}", now });
        var embedding = Enumerable.Range(0, 384).Select(i => (float)Math.Sin(i)).ToArray();
        _batch = Enumerable.Range(0, BatchSize).Select(i =>
        {
            Reason[] reasons = i % 4 == 0 ? [new Reason(ReasonCodes.Profanity, 0.93, [new Span(3, 7, "crap", "crap", "mild")])] : [];
            var verdict = new Verdict(i % 4 == 0 ? CommentStatus.Pending : CommentStatus.Published, reasons, i % 4 == 0 ? 0.6 : 0);
            return new ScoredComment($"c{i}", 1, new ScoreResult(new Scores(i % 4 == 0 ? 0.93 : 0, 0.8, 0.05), reasons, embedding), verdict, 60);
        }).ToArray();
    }

    [IterationSetup]
    public void Reset()
    {
        using var c = _db.OpenAsync().GetAwaiter().GetResult();
        c.Execute("UPDATE comments SET status = 'received'; DELETE FROM scores; DELETE FROM queue; DELETE FROM audit;");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Description = "InboxRepository.WriteBatchAsync (64 comments, one transaction)")]
    public int WriteBatch() => _inbox.WriteBatchAsync(_batch, _policy, DateTimeOffset.UtcNow, default).GetAwaiter().GetResult().Count;
}

/// <summary>
/// <see cref="QueueRepository.ListAsync"/> at a realistic size: 200,000 queue entries (60 % pending) over 2,000
/// articles with reports on one in four (1M rows: scripts/load.sh queue). First page of 50, per filter and sort.
/// </summary>
[MemoryDiagnoser, Config(typeof(QuickConfig))]
public class QueueBenchmarks
{
    private string _dir = null!;
    private QueueRepository _queue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("modbench").FullName;
        var db = new Database(Path.Combine(_dir, "queue.db"));
        new Migrator(db).MigrateAsync().GetAwaiter().GetResult();
        using var c = db.OpenAsync().GetAwaiter().GetResult();
        c.Execute("""
            PRAGMA foreign_keys = OFF;
            BEGIN;
            INSERT INTO articles (article_id, title, body, created_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
            SELECT 'qa' || i, 't', 'b', '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00' FROM n;
            INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999)
            SELECT 'q' || i, 'qa' || (i % 2000), 'Seeded comment ' || i || ' about the council budget and the bus routes.',
                   CASE WHEN i % 10 < 6 THEN 'pending' ELSE 'approved' END,
                   strftime('%Y-%m-%dT%H:%M:%S.0000000+00:00', '2026-01-01', '+' || (i * 7) || ' seconds'),
                   strftime('%Y-%m-%dT%H:%M:%S.0000000+00:00', '2026-01-01', '+' || (i * 7) || ' seconds') FROM n;
            INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
            SELECT comment_id, article_id, CASE WHEN status = 'pending' THEN 'pending' ELSE 'decided' END,
                   round(abs(random() % 10000) / 10000.0, 2),
                   CASE seq % 4 WHEN 0 THEN ',profanity,' WHEN 1 THEN ',off_topic,' WHEN 2 THEN ',reader_reports,' ELSE ',profanity,off_topic,' END,
                   '[]', received_at FROM comments;
            INSERT INTO reports (comment_id, reporter_key, reason, created_at) SELECT comment_id, 'id:r', 'spam', received_at FROM comments WHERE seq % 4 = 0;
            COMMIT;
            ANALYZE;
            """);
        _queue = new QueueRepository(db);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Params("priority", "newest", "reason=reader_reports", "reason=scoring_failed", "articleId")]
    public string Filter = "priority";

    [Benchmark(Description = "QueueRepository.ListAsync, first page of 50 (200k rows)")]
    public int List()
    {
        var q = Filter switch
        {
            "newest" => new QueueQuery("pending", null, null, QueueSort.Newest, 51, null),
            "reason=reader_reports" => new QueueQuery("pending", "reader_reports", null, QueueSort.Priority, 51, null),
            "reason=scoring_failed" => new QueueQuery("pending", "scoring_failed", null, QueueSort.Priority, 51, null),
            "articleId" => new QueueQuery("pending", null, "qa12", QueueSort.Priority, 51, null),
            _ => new QueueQuery("pending", null, null, QueueSort.Priority, 51, null),
        };
        return _queue.ListAsync(q, default).GetAwaiter().GetResult().Count;
    }
}
