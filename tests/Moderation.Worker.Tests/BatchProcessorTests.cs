using Dapper;
using Moderation.Storage.Comments;

namespace Moderation.Worker.Tests;

public sealed class BatchProcessorTests
{
    [Fact]
    public async Task N_comments_in_are_N_comments_scored_each_once()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 7);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 50);

        await WorkerHarness.DrainAsync(h.NewProcessor());

        Assert.Equal(50, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM comments WHERE status = 'received'"));
        Assert.Equal(50, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
        Assert.Equal(1, scorer.ProfilesBuilt);
    }

    [Fact]
    public async Task Flagged_comments_are_queued_once_and_clean_ones_published()
    {
        await using var h = new WorkerHarness(new ScriptedScorer());
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.Storage.Comments.IngestAsync(new NewComment("bad1", "a1", "a bad comment", null, null, null, null), h.Clock.GetUtcNow(), default);
        await h.Storage.Comments.IngestAsync(new NewComment("ok1", "a1", "a fine comment", null, null, null, null), h.Clock.GetUtcNow(), default);

        await WorkerHarness.DrainAsync(h.NewProcessor());

        Assert.Equal("pending", (await h.Storage.Comments.GetAsync("bad1", default))!.Status);
        Assert.Equal("published", (await h.Storage.Comments.GetAsync("ok1", default))!.Status);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM queue"));
    }

    [Fact]
    public async Task A_comment_that_fails_once_is_retried_after_the_backoff_and_nothing_is_lost_or_doubled()
    {
        var scorer = new ScriptedScorer();
        var failures = 0;
        scorer.FailOn = text => text == "comment number 3" && Interlocked.Increment(ref failures) == 1;
        await using var h = new WorkerHarness(scorer);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 6);
        var processor = h.NewProcessor();

        await WorkerHarness.DrainAsync(processor);
        Assert.Equal(5, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(1, await h.CountAsync("SELECT attempts FROM comments WHERE comment_id = 'c3'"));

        h.Clock.Advance(TimeSpan.FromSeconds(11));
        await WorkerHarness.DrainAsync(processor);
        Assert.Equal(6, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(6, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM comments WHERE status = 'received'"));
    }

    [Fact]
    public async Task A_comment_that_keeps_failing_is_hidden_and_shown_to_moderators_not_retried_forever()
    {
        var scorer = new ScriptedScorer { FailOn = text => text == "comment number 0" };
        await using var h = new WorkerHarness(scorer);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 2);
        var processor = h.NewProcessor();

        for (var i = 0; i < 5; i++)
        {
            await WorkerHarness.DrainAsync(processor);
            h.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        var failed = (await h.Storage.Comments.GetAsync("c0", default))!;
        Assert.Equal("hidden", failed.Status);
        Assert.Equal(3, failed.Attempts);
        Assert.Contains("scorer broke", failed.LastError);
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM queue WHERE comment_id = 'c0' AND reason_codes LIKE '%,scoring_failed,%'"));
        Assert.Equal("published", (await h.Storage.Comments.GetAsync("c1", default))!.Status);
    }

    [Fact]
    public async Task A_rejected_comment_whose_edit_cannot_be_scored_stays_hidden_and_is_queued_as_edited_after_decision()
    {
        var scorer = new ScriptedScorer { FailOn = text => text.StartsWith("edited", StringComparison.Ordinal) };
        await using var h = new WorkerHarness(scorer);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 1);
        var processor = h.NewProcessor();
        await WorkerHarness.DrainAsync(processor);
        await h.Storage.Queue.DecideAsync("c0", "reject", null, null, "moderator", force: false, h.Clock.GetUtcNow(), default);
        await h.Storage.Comments.IngestAsync(new NewComment("c0", "a1", "edited comment number 0", null, null, null, null), h.Clock.GetUtcNow(), default);

        for (var i = 0; i < 5; i++)
        {
            await WorkerHarness.DrainAsync(processor);
            h.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal("hidden", (await h.Storage.Comments.GetAsync("c0", default))!.Status);
        Assert.Equal(1, await h.CountAsync("""
            SELECT count(*) FROM queue WHERE comment_id = 'c0' AND state = 'pending'
              AND reason_codes LIKE '%,scoring_failed,%' AND reason_codes LIKE '%,edited_after_decision,%'
            """));
    }

    [Fact]
    public async Task A_batch_cut_short_by_a_crash_is_claimed_again_after_its_lease_and_scored_exactly_once()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 10);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 10);

        using var crash = new CancellationTokenSource();
        scorer.BeforeScore = text => { if (text == "comment number 5") crash.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.NewProcessor().RunOnceAsync(crash.Token));
        scorer.BeforeScore = null;
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM scores"));

        var survivor = h.NewProcessor();
        Assert.Equal(0, await survivor.RunOnceAsync(default));   // still leased by the crashed worker
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        await WorkerHarness.DrainAsync(survivor);

        Assert.Equal(10, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(10, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
    }

    [Fact]
    public async Task A_batch_released_on_graceful_shutdown_is_taken_at_once_by_the_next_worker()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 10);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 4);
        var stopping = h.NewProcessor();
        using var stop = new CancellationTokenSource();
        scorer.BeforeScore = _ => stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping.RunOnceAsync(stop.Token));
        scorer.BeforeScore = null;

        Assert.Equal(4, await h.Storage.Inbox.ReleaseAsync(stopping.Owner, default));
        await WorkerHarness.DrainAsync(h.NewProcessor());   // no clock advance needed
        Assert.Equal(4, await h.CountAsync("SELECT count(*) FROM scores"));
    }

    [Fact]
    public async Task Two_workers_at_once_score_every_comment_exactly_once()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 5);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 60);

        await Task.WhenAll(Task.Run(() => WorkerHarness.DrainAsync(h.NewProcessor())), Task.Run(() => WorkerHarness.DrainAsync(h.NewProcessor())));

        Assert.Equal(60, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(60, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
        Assert.Equal(60, scorer.Scored);
    }

    [Fact]
    public async Task A_changed_article_gets_its_profile_built_again()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 2, "x");
        await WorkerHarness.DrainAsync(h.NewProcessor());
        await h.AddArticleAsync("a1", body: "A different body");
        await h.AddCommentsAsync("a1", 2, "y");
        await WorkerHarness.DrainAsync(h.NewProcessor());
        Assert.Equal(2, await h.CountAsync("SELECT version FROM articles"));
        Assert.Equal(4, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(2, scorer.ProfilesBuilt);
    }

    [Fact]
    public async Task One_worker_scores_against_the_edited_article_not_the_copy_it_kept()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1", body: "First body");
        var worker = h.NewProcessor();
        await h.AddCommentsAsync("a1", 2, "x");
        await worker.DrainAsync(default);
        Assert.Equal("First body", scorer.Seen["comment number 0"].Body);

        await h.AddArticleAsync("a1", body: "Second body");
        await h.Storage.Comments.IngestAsync(new NewComment("z", "a1", "after the edit", null, null, null, null), h.Clock.GetUtcNow(), default);
        await worker.DrainAsync(default);

        Assert.Equal("Second body", scorer.Seen["after the edit"].Body);
        Assert.Equal(2, scorer.ProfilesBuilt);
    }

    [Fact]
    public async Task The_pipelined_drain_scores_every_comment_exactly_once_even_with_two_workers()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 7);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddArticleAsync("a2");
        await h.AddCommentsAsync("a1", 60, "p");
        await h.AddCommentsAsync("a2", 60, "q");

        var counts = await Task.WhenAll(Task.Run(() => h.NewProcessor().DrainAsync(default)), Task.Run(() => h.NewProcessor().DrainAsync(default)));

        Assert.Equal(120, counts.Sum());
        Assert.Equal(120, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(120, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM comments WHERE status = 'received' OR lease_owner IS NOT NULL"));
        Assert.Equal(0, await h.NewProcessor().DrainAsync(default));
    }

    [Fact]
    public async Task A_write_that_fails_mid_drain_hands_back_what_the_worker_holds_and_the_next_drain_scores_the_rest_once()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 7);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 60, "p");
        // The fifth batch's write fails in the database (p28..p34): on PostgreSQL the write before it, and the claim and
        // write after it, may be in flight at that moment (two writes at once there).
        await using (var c = await h.Storage.Database.OpenAsync())
            await c.ExecuteAsync(h.Storage.Database.IsPostgres
                ? """
                  CREATE FUNCTION test_write_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
                  CREATE TRIGGER test_write_fails BEFORE INSERT ON scores FOR EACH ROW WHEN (NEW.comment_id = 'p30') EXECUTE FUNCTION test_write_fails();
                  """
                : "CREATE TRIGGER test_write_fails BEFORE INSERT ON scores WHEN NEW.comment_id = 'p30' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;");

        var first = h.NewProcessor();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => first.DrainAsync(default));
        Assert.Contains("the disk is full", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM comments WHERE status = 'received' AND lease_owner IS NOT NULL"));   // handed back
        Assert.Equal(1, await h.CountAsync("SELECT count(*) FROM comments WHERE comment_id = 'p30' AND status = 'received'"));
        var before = await h.CountAsync("SELECT count(*) FROM scores");
        Assert.InRange(before, 28, 53);   // the four batches before it, and whatever was written beside it

        await using (var c = await h.Storage.Database.OpenAsync())
            await c.ExecuteAsync(h.Storage.Database.IsPostgres ? "DROP TRIGGER test_write_fails ON scores" : "DROP TRIGGER test_write_fails");
        Assert.Equal(60 - before, await h.NewProcessor().DrainAsync(default));   // another worker at once: no lease to wait out

        Assert.Equal(60, await h.CountAsync("SELECT count(*) FROM scores"));
        Assert.Equal(60, await h.CountAsync("SELECT count(*) FROM audit WHERE action = 'scored'"));
        Assert.Equal(60, await h.CountAsync("SELECT count(DISTINCT comment_id) FROM audit WHERE action = 'scored'"));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM comments WHERE status = 'received' OR lease_owner IS NOT NULL"));
    }

    [Fact]
    public async Task Thread_context_counts_only_scored_comments_and_at_most_twenty()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 50);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        await h.AddCommentsAsync("a1", 3, "early");
        await h.NewProcessor().DrainAsync(default);
        Assert.Equal(0, scorer.Seen["comment number 0"].Siblings);   // its batch-mates were not scored yet

        for (int i = 0; i < 30; i++)   // 30 waiting comments; the next one must still see the 3 scored ones
            await h.Storage.Comments.IngestAsync(new NewComment($"w{i}", "a1", $"waiting {i}", null, null, null, null), h.Clock.GetUtcNow(), default);
        await h.NewProcessor().DrainAsync(default);
        Assert.Equal(3, scorer.Seen["waiting 29"].Siblings);

        await h.Storage.Comments.IngestAsync(new NewComment("last", "a1", "the last one", null, null, null, null), h.Clock.GetUtcNow(), default);
        await h.NewProcessor().DrainAsync(default);
        Assert.Equal(20, scorer.Seen["the last one"].Siblings);
    }

    [Fact]
    public async Task A_worker_sees_what_it_scored_at_once_and_what_another_worker_scored_once_its_copy_is_old()
    {
        var scorer = new ScriptedScorer();
        await using var h = new WorkerHarness(scorer, batchSize: 50);
        await h.InitializeAsync();
        await h.AddArticleAsync("a1");
        var mine = h.NewProcessor();
        var other = h.NewProcessor();
        async Task Score(BatchProcessor worker, params string[] texts)
        {
            foreach (var t in texts)
                await h.Storage.Comments.IngestAsync(new NewComment(t, "a1", t, null, null, null, null), h.Clock.GetUtcNow(), default);
            await worker.DrainAsync(default);
        }

        await Score(mine, "m0");
        await Score(mine, "m1");
        Assert.Equal(1, scorer.Seen["m1"].Siblings);   // its own write, without reading the database again
        await Score(other, "o0", "o1", "o2");
        Assert.Equal(2, scorer.Seen["o0"].Siblings);
        await Score(mine, "m2");
        Assert.Equal(2, scorer.Seen["m2"].Siblings);   // the other worker's three are not in its copy yet
        h.Clock.Advance(TimeSpan.FromSeconds(11));
        await Score(mine, "m3");
        Assert.Equal(6, scorer.Seen["m3"].Siblings);
    }
}
