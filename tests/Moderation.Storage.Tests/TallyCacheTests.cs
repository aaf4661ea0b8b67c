using Moderation.Core.Policy;
using Moderation.Storage.Reports;

namespace Moderation.Storage.Tests;

/// <summary>The report writer's held tallies (what they keep and when they forget); their exactness is tested over HTTP in ReportTallyTests.</summary>
public sealed class TallyCacheTests
{
    static ReportRow Row(string reporter) => new() { ReporterKey = reporter, AddressKey = reporter, Reason = "spam" };

    [Fact]
    public void Rows_stay_in_reporter_order_as_the_database_gives_them()
    {
        var cache = new TallyCache();
        cache.Check(1);
        var rows = new List<ReportRow> { Row("id:b"), Row("id:d") };
        cache.Hold("c1", rows);
        foreach (var r in new[] { "id:e", "id:a", "id:c", "ip:0A" }) cache.Add(cache.Get("c1")!, Row(r));
        Assert.Equal(["id:a", "id:b", "id:c", "id:d", "id:e", "ip:0A"], cache.Get("c1")!.Select(r => r.ReporterKey));
    }

    [Fact]
    public void Only_the_writers_own_reports_keep_what_is_held()
    {
        var cache = new TallyCache();
        cache.Check(10);                   // a group starts at 10
        cache.Hold("c1", [Row("id:a")]);
        cache.Check(10);                   // its next report reads the same value: the bump comes with the commit
        Assert.NotNull(cache.Get("c1"));
        cache.Committed(3);                // the group inserted three reports: 13
        cache.Check(13);                   // the next group
        Assert.NotNull(cache.Get("c1"));
        cache.Committed(1);
        cache.Check(15);                   // something else changed reports or records too
        Assert.Null(cache.Get("c1"));
        cache.Hold("c1", [Row("id:a")]);
        cache.Clear();                     // a rollback: no value of the counter is trusted until the next group's check
        cache.Hold("c1", [Row("id:a")]);
        cache.Committed(2);
        cache.Check(1);                    // would be -1 + 2 if the rollback had not forgotten the value
        Assert.Null(cache.Get("c1"));
        cache.Hold("c1", [Row("id:a")]);
        cache.Committed(0);                // a group that inserted nothing (duplicates) leaves the counter where it was
        cache.Check(1);
        Assert.NotNull(cache.Get("c1"));
    }

    [Fact]
    public void Over_its_row_limit_it_forgets_the_least_recently_reported_half()
    {
        var cache = new TallyCache(maxRows: 10);
        cache.Check(1);
        for (var i = 0; i < 5; i++) cache.Hold($"c{i}", [Row("id:a"), Row("id:b")]);
        Assert.NotNull(cache.Get("c0"));   // reported again: now the most recent
        cache.Hold("c5", [Row("id:a")]);   // 11 rows: trims
        Assert.Equal(3, cache.Comments);
        Assert.NotNull(cache.Get("c0"));
        Assert.NotNull(cache.Get("c5"));
        Assert.Null(cache.Get("c1"));
    }
}
