using Moderation.Core.Policy;

namespace Moderation.Core.Tests.Policy;

/// <summary>
/// <see cref="ReportPolicy.Tally"/> adds the rows up in <see cref="ReportSums"/>; these pin what it must give: each
/// address's reports weigh together at most MaxWeightPerAddress, and the weight is the exact decimal sum of the
/// four-decimal weights (so it is the same in any order, and for held sums plus one more report as for all afresh).
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

    static List<ReportRow> Varied(Random rng, int count)
    {
        string[] reasons = ["spam", "abuse", "off_topic", "harassment", "other"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var anonymous = rng.Next(3) == 0;
            var address = "ip:" + rng.Next(0, 40).ToString("x8");
            return Row(anonymous ? address : "id:r" + i, address, reasons[rng.Next(reasons.Length)], rng.Next(0, 6), rng.Next(0, 6));
        }).ToList();
    }

    [Fact]
    public void The_weight_is_the_exact_decimal_sum_in_any_order_on_many_varied_rows()
    {
        var policy = new ReportPolicy(3, maxWeightPerAddress: 1.5);
        var rng = new Random(18);
        for (var trial = 0; trial < 50; trial++)
        {
            var rows = Varied(rng, rng.Next(1, 400));
            // decimal arithmetic is exact for four-decimal weights: the sum the tally must equal, rounded once to a double.
            var expected = (double)rows.GroupBy(r => r.AddressKey).Sum(g => Math.Min(1.5m,
                g.Sum(r => (decimal)ReporterTrust.Weight(ReportRow.IsAnonymous(r.ReporterKey), (int)r.Upheld, (int)r.Dismissed))));
            var tally = policy.Tally(rows);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(tally.Weight));
            Assert.Equal(rows.GroupBy(r => r.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())),
                tally.ByReason.Select(kv => (kv.Key, kv.Value)));

            var shuffled = rows.OrderBy(_ => rng.Next()).ToList();
            Assert.Equal(BitConverter.DoubleToInt64Bits(tally.Weight), BitConverter.DoubleToInt64Bits(policy.Tally(shuffled).Weight));
        }
    }

    [Fact]
    public void Sums_added_to_one_report_at_a_time_tally_as_all_the_rows_at_once()
    {
        var policy = new ReportPolicy(3);
        var rows = Varied(new Random(9), 300);
        var sums = policy.Sums();
        for (var i = 0; i < rows.Count; i++)
        {
            sums.Add(rows[i]);
            var afresh = policy.Tally(rows.Take(i + 1).ToList());
            var held = sums.Tally();
            Assert.Equal((afresh.Count, BitConverter.DoubleToInt64Bits(afresh.Weight)), (held.Count, BitConverter.DoubleToInt64Bits(held.Weight)));
            Assert.Equal(afresh.ByReason, held.ByReason);
        }
    }

    [Fact]
    public void A_weight_has_four_decimals_rounded_as_math_round_rounds_them()
    {
        for (var u = 0; u < 30; u++)
            for (var d = 0; d < 30; d++)
                Assert.Equal(Math.Round(2.0 * (u + 1) / (u + d + 2), 4), ReporterTrust.Weight(false, u, d));
        Assert.Equal(0.5, ReporterTrust.Weight(true, 3, 0));
    }
}
