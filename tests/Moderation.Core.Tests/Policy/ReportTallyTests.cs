using Moderation.Core.Policy;

namespace Moderation.Core.Tests.Policy;

/// <summary>
/// <see cref="ReportPolicy.Tally"/> is one pass over the rows; these pin what it must give: each address's reports weigh
/// together at most MaxWeightPerAddress, and the sums are those of grouping the rows by address in order of first
/// appearance (bit for bit, so a stored weight never changes when the same reports are tallied again).
/// </summary>
public sealed class ReportTallyTests
{
    static ReportRow Row(string reporter, string address, string reason = "spam", long upheld = 0, long dismissed = 0) =>
        new() { ReporterKey = reporter, AddressKey = address, Reason = reason, Upheld = upheld, Dismissed = dismissed };

    [Fact]
    public void Reports_from_one_address_weigh_together_at_most_the_cap_and_reasons_are_counted_in_order()
    {
        var policy = new ReportPolicy(3, maxWeightPerAddress: 2.0);
        var rows = new[]
        {
            Row("id:a", "ip:house", "spam"), Row("id:b", "ip:house", "abuse"), Row("id:c", "ip:house", "spam"),
            Row("id:d", "ip:office", "off_topic"),
        };
        var tally = policy.Tally(rows);
        var one = ReporterTrust.Weight(false, 0, 0);
        Assert.Equal(4, tally.Count);
        Assert.Equal(Math.Min(2.0, 3 * one) + one, tally.Weight);
        Assert.Equal(["abuse", "off_topic", "spam"], tally.ByReason.Keys);
        Assert.Equal([1, 1, 2], tally.ByReason.Values);
    }

    [Fact]
    public void The_weight_is_bit_for_bit_the_grouped_sum_on_many_varied_rows()
    {
        var policy = new ReportPolicy(3, maxWeightPerAddress: 1.5);
        var rng = new Random(18);
        string[] reasons = ["spam", "abuse", "off_topic", "harassment", "other"];
        for (var trial = 0; trial < 50; trial++)
        {
            var rows = Enumerable.Range(0, rng.Next(1, 400)).Select(i =>
            {
                var anonymous = rng.Next(3) == 0;
                var address = "ip:" + rng.Next(0, 40).ToString("x8");
                return Row(anonymous ? address : "id:r" + i, address, reasons[rng.Next(reasons.Length)], rng.Next(0, 6), rng.Next(0, 6));
            }).ToList();

            var expected = rows.GroupBy(r => r.AddressKey).Sum(g => Math.Min(1.5,
                g.Sum(r => ReporterTrust.Weight(ReportRow.IsAnonymous(r.ReporterKey), (int)r.Upheld, (int)r.Dismissed))));
            var tally = policy.Tally(rows);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(tally.Weight));
            Assert.Equal(rows.GroupBy(r => r.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())),
                tally.ByReason.Select(kv => (kv.Key, kv.Value)));
        }
    }
}
