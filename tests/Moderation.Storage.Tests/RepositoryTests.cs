using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage.Comments;
using Moderation.Storage.Queue;
using Moderation.Storage.Reports;

namespace Moderation.Storage.Tests;

public sealed class RepositoryTests
{
    [Fact]
    public async Task Migrations_run_twice_change_nothing_the_second_time()
    {
        await using var f = await StorageFixture.CreateAsync();
        await new Migrator(f.Storage.Database).MigrateAsync();
        var scripts = typeof(Migrator).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).ToList();
        string[] Versions(bool postgres) => scripts.Where(n => n.Contains(".Postgres.", StringComparison.Ordinal) == postgres).Select(n => n.Split('.')[^2]).Order().ToArray();
        Assert.Equal(Versions(postgres: false), Versions(postgres: true));   // every migration exists in both dialects
        Assert.Equal(Versions(postgres: false).Length, await f.ScalarAsync("SELECT count(*) FROM schema_migrations"));
        if (!f.Storage.Database.IsPostgres) Assert.Equal("wal", (await f.Storage.Database.OpenAsync()).ExecuteScalarString("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Document_frequencies_follow_articles_as_they_change()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "one", "bike", "lane");
        await f.PutArticleAsync("a2", "two", "bike", "budget");
        Assert.Equal(2, await f.ScalarAsync("SELECT df FROM term_df WHERE term = 'bike'"));
        await f.PutArticleAsync("a2", "two, rewritten", "budget", "school");
        Assert.Equal(1, await f.ScalarAsync("SELECT df FROM term_df WHERE term = 'bike'"));
        Assert.Equal(1, await f.ScalarAsync("SELECT df FROM term_df WHERE term = 'school'"));
    }

    [Fact]
    public async Task Ingesting_the_same_text_is_a_no_op_and_new_text_is_a_new_version()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        Assert.Equal(IngestOutcome.Created, (await f.AddCommentAsync("c1", "a1", "hello")).Outcome);
        Assert.Equal(IngestOutcome.Unchanged, (await f.AddCommentAsync("c1", "a1", "hello")).Outcome);
        Assert.Equal(IngestOutcome.Edited, (await f.AddCommentAsync("c1", "a1", "hello again")).Outcome);
        Assert.Equal(2, (await f.Storage.Comments.GetAsync("c1", default))!.TextVersion);
    }

    [Fact]
    public async Task Queue_pages_by_priority_with_ties_broken_by_id()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        var db = f.Storage.Database;
        for (var i = 0; i < 9; i++)
        {
            await f.AddCommentAsync($"c{i}", "a1", "text");
            Reason[] reasons = [new(ReasonCodes.Profanity, 0.6)];
            await db.InTransactionAsync(async (c, tx) => { await QueueRepository.FlagAsync(c, tx, $"c{i}", reasons, i % 3, StorageFixture.Now, default); return 0; });
        }
        var seen = new List<string>();
        QueueCursor? after = null;
        while (true)
        {
            var page = await f.Storage.Queue.ListAsync(new QueueQuery("pending", null, null, QueueSort.Priority, 4, after), default);
            seen.AddRange(page.Select(p => p.CommentId));
            if (page.Count < 4) break;
            after = new QueueCursor(page[^1].FlaggedAt, page[^1].CommentId, page[^1].Priority);
        }
        Assert.Equal(["c2", "c5", "c8", "c1", "c4", "c7", "c0", "c3", "c6"], seen);
    }

    [Fact]
    public async Task Of_two_moderators_deciding_at_once_exactly_one_wins()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        await f.AddCommentAsync("c1", "a1", "text");
        var results = await Task.WhenAll(
            Task.Run(() => f.Storage.Queue.DecideAsync("c1", "approve", null, null, "m1", false, StorageFixture.Now, default)),
            Task.Run(() => f.Storage.Queue.DecideAsync("c1", "reject", "spam", null, "m2", false, StorageFixture.Now, default)));
        Assert.Single(results, r => r.Outcome == DecisionOutcome.Decided);
        Assert.Single(results, r => r.Outcome == DecisionOutcome.AlreadyDecided);
    }

    [Fact]
    public async Task A_reporter_counts_once_per_comment()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        await f.AddCommentAsync("c1", "a1", "text");
        var policy = new ReportPolicy(3);
        Assert.Equal(ReportOutcome.Added, (await f.Storage.ReportWriter.AddAsync("c1", "id:r1", null, "spam", null, policy, StorageFixture.Now, default)).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, (await f.Storage.ReportWriter.AddAsync("c1", "id:r1", null, "abusive", null, policy, StorageFixture.Now, default)).Outcome);
        Assert.Equal(ReportOutcome.NotFound, (await f.Storage.ReportWriter.AddAsync("zz", "id:r1", null, "spam", null, policy, StorageFixture.Now, default)).Outcome);
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM reports"));
    }
}

static class ConnectionExtensions
{
    public static string ExecuteScalarString(this System.Data.Common.DbConnection c, string sql)
    {
        using (c)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return (string)cmd.ExecuteScalar()!;
        }
    }
}
