using Dapper;
using Moderation.Storage.Retention;

namespace Moderation.Storage.Tests;

/// <summary>A retention catch-up: more old rows than one chunk (500), purged over several paced chunks, nothing newer touched.</summary>
public sealed class RetentionChunkTests
{
    [Fact]
    public async Task A_catch_up_of_several_chunks_purges_every_old_report_and_no_new_one()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "Bike lanes on Main Street", "bike");
        await f.AddCommentAsync("c1", "a1", "Good for cyclists");
        await using (var c = await f.Storage.Database.OpenAsync())
        {
            var old = Database.Time(StorageFixture.Now.AddDays(-400));
            var recent = Database.Time(StorageFixture.Now.AddDays(-1));
            var rows = Enumerable.Range(0, 1_234).Select(i => new { reporter = $"id:r{i}", address = $"ip:{i:x32}", at = old })
                .Concat(Enumerable.Range(0, 7).Select(i => new { reporter = $"id:n{i}", address = $"ip:n{i:x31}", at = recent }));
            await c.ExecuteAsync("""
                INSERT INTO reports (comment_id, reporter_key, address_key, reason, details, created_at)
                VALUES ('c1', @reporter, @address, 'spam', 'typed by the reader', @at)
                """, rows);
        }
        var cutoff = StorageFixture.Now.AddDays(-30);

        var purge = await f.Storage.Retention.PurgeAsync(new RetentionCutoffs(null, cutoff, cutoff), StorageFixture.Now, default);

        Assert.Equal(new RetentionPurge(0, 1_234, 1_234), purge);
        Assert.Equal(7, await f.ScalarAsync("SELECT count(*) FROM reports WHERE details IS NOT NULL AND address_key IS NOT NULL"));
        Assert.Equal(0, await f.ScalarAsync("SELECT count(*) FROM reports WHERE created_at < @at AND (details IS NOT NULL OR address_key IS NOT NULL)",
            new { at = Database.Time(cutoff) }));
        Assert.False((await f.Storage.Retention.PurgeAsync(new RetentionCutoffs(null, cutoff, cutoff), StorageFixture.Now, default)).Any);
    }
}
