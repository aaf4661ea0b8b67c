using Dapper;
using Moderation.Storage.Comments;
using Moderation.Storage.Webhooks;

namespace Moderation.Storage.Tests;

/// <summary>What a status change writes besides the status itself: the audit entry, the webhook events, the site write-back.</summary>
public sealed class StatusChangesTests
{
    /// <summary>A comment that came from a source, with every webhook event subscribed.</summary>
    static async Task<StorageFixture> SourcedCommentAsync()
    {
        var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        await f.AddCommentAsync("c1", "a1", "hello");
        await f.Storage.Webhooks.CreateAsync("w1", "https://hooks.example/x", ["*"], new string('s', 32), "admin", StorageFixture.Now, default);
        await using var c = await f.Storage.Database.OpenAsync();
        await c.ExecuteAsync("""
            INSERT INTO source_comments (comment_id, source, remote_id, site_status, seen_at) VALUES ('c1', 'site', 7, 'approved', @at);
            UPDATE comments SET status = 'pending' WHERE comment_id = 'c1';
            """, new { at = Database.Time(StorageFixture.Now) });
        return f;
    }

    static Task<long> CountAsync(StorageFixture f, string table) => f.ScalarAsync($"SELECT count(*) FROM {table}");

    [Fact]
    public async Task A_decision_writes_its_audit_entry_its_webhook_event_and_its_write_back_and_its_undo_no_event()
    {
        await using var f = await SourcedCommentAsync();
        var audit = await CountAsync(f, "audit");

        await f.Storage.Queue.DecideAsync("c1", "reject", "spam", null, "m1", false, StorageFixture.Now, default);
        Assert.Equal(audit + 1, await CountAsync(f, "audit"));
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE event = @e", new { e = WebhookEvents.Decided }));
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM source_writebacks WHERE comment_id = 'c1' AND status = 'rejected'"));

        var undone = await f.Storage.QueueActions.UndoAsync("c1", "m1", TimeSpan.FromMinutes(1), StorageFixture.Now, default);
        Assert.Equal("pending", undone.Status);
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM audit WHERE action = 'undo' AND status_before = 'rejected' AND status_after = 'pending'"));
        Assert.Equal(1, await CountAsync(f, "webhook_outbox"));   // the contract has no event for an undo
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM source_writebacks WHERE comment_id = 'c1' AND status = 'pending'"));
    }

    [Fact]
    public async Task A_batch_writes_only_the_audit_entry_where_the_caller_knows_nothing_else_is_needed()
    {
        await using var f = await SourcedCommentAsync();
        var audit = await CountAsync(f, "audit");
        await f.Storage.Database.InTransactionAsync(async (c, tx) =>
        {
            using var buffer = new WriteBuffer(c, tx);
            using var changes = new StatusChanges.Batch(buffer);
            await changes.WriteAsync(new StatusChange("c1", "pending", "hidden", "worker", "scored", new { note = "a" }, null), StorageFixture.Now, StatusEffects.None, default);
            await changes.WriteAsync(new StatusChange("c1", "hidden", "rejected", "worker", "scored", new { note = "b" }, new { }), StorageFixture.Now, StatusEffects.All, default);
            buffer.Flush();
            return 0;
        });
        Assert.Equal(audit + 2, await CountAsync(f, "audit"));
        Assert.Equal(1, await f.ScalarAsync("SELECT count(*) FROM audit WHERE detail = '{\"note\":\"b\"}' AND status_after = 'rejected'"));
        Assert.Equal(1, await CountAsync(f, "webhook_outbox"));   // only the second: comment.decided
        Assert.Equal(1, await CountAsync(f, "source_writebacks"));
    }
}
