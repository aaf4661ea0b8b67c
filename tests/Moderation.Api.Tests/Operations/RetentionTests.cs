using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>The retention purge on a fake clock: each kind of data goes when its time is up, and not before.</summary>
public sealed class RetentionTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Address_hashes_then_report_details_then_decided_texts_are_purged_on_time_and_the_purge_is_audited()
    {
        var clock = new RetentionClock(Start, TimeSpan.FromHours(1));
        using var app = new TestApp(new()
        {
            ["Moderation:Retention:AddressHashes"] = "5.00:00:00",
            ["Moderation:Retention:ReportDetails"] = "10.00:00:00",
            ["Moderation:Retention:DecidedTexts"] = "30.00:00:00",
            ["Moderation:Retention:Interval"] = "01:00:00",
        }, clock);
        var client = app.Client();
        await client.PutArticle("a1");
        await client.PostComment("a1", "c1", "The council is full of idiots and shit.");
        await client.PostComment("a1", "c2", "Protected lanes will make Main Street safer.");
        await client.WaitScored("c1");
        await client.WaitScored("c2");
        var reader = app.Reader("198.51.100.30");
        Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync("/api/comments/c2/reports", new { reason = "spam", details = "anonymous details" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "abusive", reporterId = "r1", details = "named details" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject" })).StatusCode);

        await Advance(app, clock, TimeSpan.FromDays(4), purges: 0);
        Assert.Equal(2, await app.ScalarAsync("SELECT count(*) FROM reports WHERE address_key IS NOT NULL"));

        await Advance(app, clock, TimeSpan.FromDays(2), purges: 1);   // day 6: address hashes (and the anonymous reader's key, that hash)
        Assert.Equal(0, await app.ScalarAsync("SELECT count(*) FROM reports WHERE address_key IS NOT NULL OR (reporter_key LIKE 'ip:%' AND reporter_key NOT LIKE 'ip:expired:%')"));
        Assert.Equal(2, await app.ScalarAsync("SELECT count(*) FROM reports WHERE details IS NOT NULL"));
        Assert.Equal(1, (await client.GetJson("/api/comments/c2")).GetProperty("reports").GetProperty("count").GetInt32());

        await Advance(app, clock, TimeSpan.FromDays(5), purges: 2);   // day 11: report details
        Assert.Equal(0, await app.ScalarAsync("SELECT count(*) FROM reports WHERE details IS NOT NULL"));
        Assert.Equal("The council is full of idiots and shit.", (await client.GetJson("/api/comments/c1")).GetProperty("text").GetString());

        await Advance(app, clock, TimeSpan.FromDays(20), purges: 3);  // day 31: the rejected comment's text; the published one stays
        var c1 = await client.GetJson("/api/comments/c1");
        Assert.Equal("", c1.GetProperty("text").GetString());
        Assert.Equal("retention", c1.GetProperty("textRemoved").GetString());
        Assert.Equal("rejected", c1.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, c1.GetProperty("scores").ValueKind);
        Assert.Contains(c1.GetProperty("history").EnumerateArray(), e => e.GetProperty("action").GetString() == "reject");
        Assert.Equal("Protected lanes will make Main Street safer.", (await client.GetJson("/api/comments/c2")).GetProperty("text").GetString());
        var decided = (await client.GetJson("/api/queue?state=decided")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("", decided.GetProperty("excerpt").GetString());

        var purges = (await client.GetJson("/api/audit?actor=retention")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(1, purges[0].GetProperty("detail").GetProperty("texts").GetInt32());
        Assert.Equal(2, purges[1].GetProperty("detail").GetProperty("reportDetails").GetInt32());
        Assert.Equal(2, purges[2].GetProperty("detail").GetProperty("addressHashes").GetInt32());
    }

    /// <summary>
    /// Moves the clock (the purge runs on the hour), waits until the retention job has run at the new time and gone back
    /// to waiting (else a run still in flight when the clock moves on would wait from the later time and miss a step),
    /// then checks that the audit log holds <paramref name="purges"/> purge entries.
    /// </summary>
    static async Task Advance(TestApp app, RetentionClock clock, TimeSpan by, int purges)
    {
        await Fixtures.Eventually(() => clock.Waits > 0, "the retention job to wait for its first interval");
        var waits = clock.Waits;
        await Task.Run(() => clock.Advance(by));
        await Fixtures.Eventually(() => clock.Waits > waits, "the retention job to run and wait again");
        Assert.Equal(purges, await app.ScalarAsync("SELECT count(*) FROM audit WHERE action = 'retention_purged'"));
    }

    /// <summary>A fake clock that counts the waits of the retention job between runs (the timers due after its interval).</summary>
    sealed class RetentionClock(DateTimeOffset start, TimeSpan interval) : FakeTimeProvider(start)
    {
        int waits;

        public int Waits => Volatile.Read(ref waits);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == interval) Interlocked.Increment(ref waits);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
