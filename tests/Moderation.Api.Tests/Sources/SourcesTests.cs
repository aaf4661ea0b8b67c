using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Moderation.Api.Tests.Infrastructure;
using Moderation.Worker.Tests.Connectors;

namespace Moderation.Api.Tests.Sources;

/// <summary>The service pulling from a WordPress site by itself, and what an admin sees of it.</summary>
public sealed class SourcesTests : IAsyncLifetime
{
    FakeWordPress site = null!;
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        site = await FakeWordPress.StartAsync();
        site.AddPost(7, "Council approves bike lanes on Main Street", "<p>" + Fixtures.BikeLanes + "</p>");
        var at = DateTime.UtcNow.AddHours(-1);
        site.Add(new FakeWordPress.Comment(70, 7, at, "<p>Protected bike lanes on Main Street are overdue.</p>"),
            new FakeWordPress.Comment(71, 7, at.AddMinutes(1), "<p>I agree &#8211; the council got this one right.</p>", Parent: 70));
        app = new TestApp(Settings());
    }

    Dictionary<string, string?> Settings() => new()
        {
            ["Moderation:Sources:0:Type"] = "wordpress",
            ["Moderation:Sources:0:Name"] = "courier",
            ["Moderation:Sources:0:Url"] = site.Url.ToString(),
            ["Moderation:Sources:0:PollInterval"] = "00:00:00.100",
            ["Moderation:Sources:0:IdPrefix"] = "courier:",
            ["Moderation:Connectors:RetryDelay"] = "00:00:00.005",
            ["Moderation:Connectors:MaxRetries"] = "1",
            ["Moderation:Relevance:Embeddings"] = "false",
        };

    public async Task DisposeAsync()
    {
        app.Dispose();
        await site.DisposeAsync();
    }

    [Fact]
    public async Task The_service_pulls_a_wordpress_site_by_itself_and_an_admin_sees_where_the_source_stands()
    {
        var client = app.Client();

        // Comments are counted as each page is stored; the poll's time is written when the poll ends: wait for both.
        var source = await WaitForAsync(client, s => s.GetProperty("commentsIngested").GetInt32() == 2
                                                     && s.GetProperty("lastPollAt").ValueKind != JsonValueKind.Null);
        var scored = await client.WaitScored("courier:71");
        Assert.Equal("courier:70", scored.GetProperty("parentId").GetString());
        Assert.Equal("I agree \u2013 the council got this one right.", scored.GetProperty("text").GetString());
        Assert.Equal("courier", source.GetProperty("name").GetString());
        Assert.Equal("wordpress", source.GetProperty("type").GetString());
        Assert.True(source.GetProperty("configured").GetBoolean());
        Assert.EndsWith("#71", source.GetProperty("cursor").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("lastError").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("lastPollAt").ValueKind);
    }

    [Fact]
    public async Task A_failing_site_shows_its_last_error_to_admins()
    {
        site.FailNext(FakeWordPress.Fault.ServerError, times: 1000);
        var client = app.Client();

        var source = await WaitForAsync(client, s => s.GetProperty("lastError").ValueKind == JsonValueKind.String);

        Assert.Contains("500", source.GetProperty("lastError").GetString());
        Assert.Equal(0, source.GetProperty("commentsIngested").GetInt32());
    }

    [Fact]
    public async Task With_private_addresses_not_allowed_a_source_on_loopback_is_refused_and_the_admin_is_told_why()
    {
        using var guarded = new TestApp(new(Settings()) { ["Moderation:Connectors:AllowPrivate"] = "false" });
        var source = await WaitForAsync(guarded.Client(), s => s.GetProperty("lastError").ValueKind == JsonValueKind.String);

        var error = source.GetProperty("lastError").GetString()!;
        Assert.Contains("refused", error);
        Assert.Contains("Moderation:Connectors:AllowPrivate", error);
        Assert.Equal(0, source.GetProperty("commentsIngested").GetInt32());
        Assert.Empty(site.CommentQueries);   // never reached
    }

    [Fact]
    public async Task Sources_are_for_admins_only()
    {
        var moderator = app.Client(await app.KeyFor("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync("/api/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(key: null).GetAsync("/api/sources")).StatusCode);
    }

    static async Task<JsonElement> WaitForAsync(HttpClient client, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var source = (await client.GetJson("/api/sources")).GetProperty("items")[0];
            if (condition(source)) return source;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the source did not get there: " + source);
            await Task.Delay(25);
        }
    }
}
