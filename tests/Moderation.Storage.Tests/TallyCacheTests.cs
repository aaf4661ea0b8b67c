using Moderation.Core.Policy;
using Moderation.Storage.Reports;

namespace Moderation.Storage.Tests;

/// <summary>The report writer's held sums (what they keep and when they forget); their exactness is tested over HTTP in ReportTallyTests.</summary>
public sealed class TallyCacheTests
{
    static readonly ReportPolicy Policy = new(3);

    static ReportRow Row(string reporter, string address = "ip:1") => new() { ReporterKey = reporter, AddressKey = address, Reason = "spam" };

    static ReportSums Sums(params ReportRow[] rows)
    {
        var sums = Policy.Sums();
        foreach (var r in rows) sums.Add(r);
        return sums;
    }

    [Fact]
    public void Held_sums_plus_one_report_tally_as_all_the_reports_read_afresh()
    {
        var cache = new TallyCache();
        cache.Check(1);
        cache.Hold("c1", Sums(Row("id:b", "ip:1"), Row("id:d", "ip:2")));
        foreach (var r in new[] { Row("id:e", "ip:1"), Row("id:a", "ip:3"), Row("ip:0A", "ip:0A") }) cache.Add(cache.Get("c1", Policy)!, r);
        var afresh = Policy.Tally([Row("id:a", "ip:3"), Row("id:b", "ip:1"), Row("id:d", "ip:2"), Row("id:e", "ip:1"), Row("ip:0A", "ip:0A")]);
        Assert.Equal(afresh, cache.Get("c1", Policy)!.Tally() with { ByReason = afresh.ByReason });
        Assert.Equal(afresh.ByReason, cache.Get("c1", Policy)!.Tally().ByReason);
    }

    [Fact]
    public void Sums_made_under_another_cap_per_address_are_not_reused()
    {
        var cache = new TallyCache();
        cache.Check(1);
        cache.Hold("c1", Sums(Row("id:a")));
        Assert.NotNull(cache.Get("c1", new ReportPolicy(5)));
        Assert.Null(cache.Get("c1", new ReportPolicy(3, maxWeightPerAddress: 1.5)));
    }

    [Fact]
    public void Only_the_writers_own_reports_keep_what_is_held()
    {
        var cache = new TallyCache();
        cache.Check(10);                   // a group starts at 10
        cache.Hold("c1", Sums(Row("id:a")));
        cache.Check(10);                   // its next report reads the same value: the bump comes with the commit
        Assert.NotNull(cache.Get("c1", Policy));
        cache.Committed(3);                // the group inserted three reports: 13
        cache.Check(13);                   // the next group
        Assert.NotNull(cache.Get("c1", Policy));
        cache.Committed(1);
        cache.Check(15);                   // something else changed reports or records too
        Assert.Null(cache.Get("c1", Policy));
        cache.Hold("c1", Sums(Row("id:a")));
        cache.Clear();                     // a rollback: no value of the counter is trusted until the next group's check
        cache.Hold("c1", Sums(Row("id:a")));
        cache.Committed(2);
        cache.Check(1);                    // would be -1 + 2 if the rollback had not forgotten the value
        Assert.Null(cache.Get("c1", Policy));
        cache.Hold("c1", Sums(Row("id:a")));
        cache.Committed(0);                // a group that inserted nothing (duplicates) leaves the counter where it was
        cache.Check(1);
        Assert.NotNull(cache.Get("c1", Policy));
    }

    [Fact]
    public void Over_its_address_limit_it_forgets_the_least_recently_reported_half()
    {
        var cache = new TallyCache(maxAddresses: 10);
        cache.Check(1);
        for (var i = 0; i < 5; i++) cache.Hold($"c{i}", Sums(Row("id:a", "ip:1"), Row("id:b", "ip:2")));
        Assert.NotNull(cache.Get("c0", Policy));   // reported again: now the most recent
        cache.Add(cache.Get("c4", Policy)!, Row("id:c", "ip:1"));   // an address it has: still 10
        Assert.Equal(5, cache.Comments);
        cache.Hold("c5", Sums(Row("id:a")));       // 11 addresses: trims
        Assert.Equal(3, cache.Comments);
        Assert.NotNull(cache.Get("c0", Policy));
        Assert.NotNull(cache.Get("c5", Policy));
        Assert.Null(cache.Get("c1", Policy));
    }
}
