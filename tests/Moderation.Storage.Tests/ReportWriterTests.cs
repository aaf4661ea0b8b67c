using Moderation.Core.Policy;
using Moderation.Storage.Reports;

namespace Moderation.Storage.Tests;

/// <summary>The report writer's group commit, below the HTTP layer: cancellation and draining on disposal.</summary>
public sealed class ReportWriterTests
{
    static readonly ReportPolicy Policy = new(3);

    [Fact]
    public async Task A_report_cancelled_before_it_is_written_is_not_stored_and_the_others_are()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        await f.AddCommentAsync("c1", "a1", "text");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            f.Storage.ReportWriter.AddAsync("c1", "id:gone", null, "spam", null, Policy, StorageFixture.Now, cancelled.Token));
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            f.Storage.ReportWriter.AddAsync("c1", $"id:r{i % 25}", null, "spam", null, Policy, StorageFixture.Now, default)));
        Assert.Equal(25, results.Count(r => r.Outcome == ReportOutcome.Added));
        Assert.Equal(25, results.Count(r => r.Outcome == ReportOutcome.Duplicate));
        Assert.Equal(25, await f.ScalarAsync("SELECT count(*) FROM reports"));
        Assert.Equal(0, await f.ScalarAsync("SELECT count(*) FROM reports WHERE reporter_key = 'id:gone'"));
    }

    [Fact]
    public async Task Disposing_drains_every_queued_report()
    {
        await using var f = await StorageFixture.CreateAsync();
        await f.PutArticleAsync("a1", "body");
        await f.AddCommentAsync("c1", "a1", "text");
        var pending = Enumerable.Range(0, 300).Select(i =>
            f.Storage.ReportWriter.AddAsync("c1", $"id:r{i}", null, "spam", null, Policy, StorageFixture.Now, default)).ToList();
        await f.Storage.ReportWriter.DisposeAsync();
        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(300, await f.ScalarAsync("SELECT count(*) FROM reports"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            f.Storage.ReportWriter.AddAsync("c1", "id:late", null, "spam", null, Policy, StorageFixture.Now, default));
    }
}
