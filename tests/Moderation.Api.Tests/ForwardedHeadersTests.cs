using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. The per-address rules (report
/// limit, report weight cap, anonymous de-duplication, failed-key throttle) must see the reader, and only
/// when the operator named the proxy: otherwise anyone could pick their address with a header.
/// </summary>
public sealed class ForwardedHeadersTests
{
    const string Proxy = "10.0.0.5";

    static async Task<TestApp> AppWithComment(Dictionary<string, string?> settings)
    {
        var app = new TestApp(settings);
        var admin = app.Client();
        await admin.PutArticle("a1");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostComment("a1", "c1", "The bike lanes should have come years ago.")).StatusCode);
        return app;
    }

    /// <summary>A reader whose requests arrive from <paramref name="sender"/> carrying <c>X-Forwarded-For: forwardedFor</c>.</summary>
    static HttpClient Via(TestApp app, string sender, string? forwardedFor, string? key = null)
    {
        var client = app.Reader(sender);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    static async Task<bool?> Report(HttpClient reader, string? reporterId = null)
    {
        var response = await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam", reporterId });
        if (response.StatusCode == HttpStatusCode.TooManyRequests) return null;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Json()).GetProperty("counted").GetBoolean();
    }

    static async Task<int> ReportCount(TestApp app) =>
        (await app.Client().GetJson("/api/comments/c1")).GetProperty("reports").GetProperty("count").GetInt32();

    [Fact]
    public async Task Behind_a_configured_proxy_two_readers_with_different_forwarded_addresses_are_two_addresses()
    {
        using var app = await AppWithComment(new()
        {
            ["Moderation:Network:KnownProxies:0"] = Proxy,
            ["Moderation:Reports:PerMinute"] = "3",
            ["Moderation:Auth:FailedAttemptsPerMinute"] = "2",
        });
        var alice = Via(app, Proxy, "203.0.113.1");
        var bob = Via(app, Proxy, "203.0.113.2");

        // Anonymous reports: one count per reader, not one for everybody behind the proxy.
        Assert.True(await Report(alice));
        Assert.True(await Report(bob));
        Assert.False(await Report(alice));
        Assert.Equal(2, await ReportCount(app));

        // The per-address limit is per reader: alice's fourth this minute is refused, bob has 2 left.
        Assert.False(await Report(alice));
        Assert.Null(await Report(alice));
        Assert.NotNull(await Report(bob, "bob"));

        // The failed-key throttle too: alice's guesses do not lock bob out.
        var guesser = Via(app, Proxy, "203.0.113.1", key: "mk_guess");
        for (var i = 0; i < 2; i++) await (await guesser.GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await guesser.GetAsync("/api/queue")).AssertProblem(HttpStatusCode.TooManyRequests);
        await (await Via(app, Proxy, "203.0.113.2", key: "mk_typo").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);

        // A sender that is not the configured proxy cannot choose its address with the header.
        var forger = Via(app, "198.51.100.20", "203.0.113.77");
        var forgerAgain = Via(app, "198.51.100.20", "203.0.113.78");
        Assert.True(await Report(forger));
        Assert.False(await Report(forgerAgain));
    }

    [Fact]
    public async Task The_header_is_read_from_the_right_through_trusted_hops_so_a_forged_left_part_is_ignored()
    {
        // A CDN (198.18.0.0/24 here) in front of nginx (10.0.0.0/24): nginx appends what the CDN sent.
        using var app = await AppWithComment(new() { ["Moderation:Network:KnownNetworks"] = "10.0.0.0/24, 198.18.0.0/24" });
        // Both readers put the same made-up address first; the real ones are what the CDN saw.
        Assert.True(await Report(Via(app, "10.0.0.9", "192.0.2.200, 203.0.113.1, 198.18.0.7")));
        Assert.True(await Report(Via(app, "10.0.0.9", "192.0.2.200, 203.0.113.2, 198.18.0.8")));
        Assert.False(await Report(Via(app, "10.0.0.9", "192.0.2.201, 203.0.113.1, 198.18.0.9")));   // the first reader again
        Assert.Equal(2, await ReportCount(app));
    }

    [Fact]
    public async Task Without_configuration_a_forged_X_Forwarded_For_changes_nothing()
    {
        using var app = await AppWithComment(new()
        {
            ["Moderation:Reports:PerMinute"] = "3",
            ["Moderation:Auth:FailedAttemptsPerMinute"] = "2",
        });
        // Even a loopback sender is not believed (ASP.NET Core's own defaults would trust it).
        foreach (var sender in new[] { "198.51.100.20", "127.0.0.1" })
        {
            Assert.True(await Report(Via(app, sender, "203.0.113.1")));
            Assert.False(await Report(Via(app, sender, "203.0.113.2")));
            Assert.False(await Report(Via(app, sender, "203.0.113.3")));
            Assert.Null(await Report(Via(app, sender, "203.0.113.4")));   // the fourth from one address this minute

            for (var i = 0; i < 2; i++) await (await Via(app, sender, $"203.0.113.{10 + i}", key: "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
            await (await Via(app, sender, "203.0.113.99", key: "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.TooManyRequests);
        }
        Assert.Equal(2, await ReportCount(app));
    }

    [Fact]
    public async Task Two_IPv6_addresses_in_one_64_count_as_one_address_for_every_per_address_rule()
    {
        using var app = await AppWithComment(new()
        {
            ["Moderation:Reports:PerMinute"] = "4",
            ["Moderation:Auth:FailedAttemptsPerMinute"] = "2",
        });
        // One home connection: any address in 2001:db8:1:2::/64 is the same reader.
        string[] sameHome = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:abcd:1234:5678:9abc", "2001:db8:1:2::a", "2001:db8:1:2::b"];

        Assert.True(await Report(app.Reader(sameHome[0])));
        Assert.False(await Report(app.Reader(sameHome[1])));          // anonymous de-duplication
        Assert.True(await Report(app.Reader(sameHome[2]), "sock-1"));
        Assert.True(await Report(app.Reader(sameHome[3]), "sock-2"));
        Assert.Null(await Report(app.Reader(sameHome[4]), "sock-3"));  // the report limit: the fifth this minute
        Assert.True(await Report(app.Reader("2001:db8:1:3::1")));     // the next /64 is another reader

        var comment = await app.Client().GetJson("/api/comments/c1");
        Assert.Equal(4, comment.GetProperty("reports").GetProperty("count").GetInt32());
        // The home's 0.5 + 1 + 1 is capped at 2 per address; the neighbour adds its own 0.5.
        Assert.Equal(2.5, comment.GetProperty("reports").GetProperty("weight").GetDouble());

        // The failed-key throttle.
        for (var i = 0; i < 2; i++) await (await Via(app, sameHome[i], null, key: "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await Via(app, sameHome[2], null, key: "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.TooManyRequests);
        await (await Via(app, "2001:db8:1:3::1", null, key: "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
    }
}
