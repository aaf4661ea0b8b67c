using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>Only the report endpoint (the embeddable widget) answers other origins; nothing else grants them anything.</summary>
public sealed class CorsTests : IDisposable
{
    readonly TestApp app = new();
    public void Dispose() => app.Dispose();

    static HttpRequestMessage Preflight(string url, string method) => new(HttpMethod.Options, url)
    {
        Headers =
        {
            { "Origin", "https://news.example" },
            { "Access-Control-Request-Method", method },
            { "Access-Control-Request-Headers", "content-type,authorization" },
        },
    };

    [Fact]
    public async Task The_report_endpoint_allows_any_origin_to_post_json()
    {
        var response = await app.Client(key: null).SendAsync(Preflight("/api/comments/c1/reports", "POST"));
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/api/queue", "GET")]
    [InlineData("/api/queue/c1/decision", "POST")]
    [InlineData("/api/articles/a1/comments", "POST")]
    [InlineData("/api/articles/a1", "PUT")]
    [InlineData("/api/keys", "POST")]
    [InlineData("/api/comments/c1", "GET")]
    [InlineData("/api/comments/c1/visibility", "GET")]
    [InlineData("/api/settings", "PUT")]
    public async Task Other_routes_grant_no_other_origin(string url, string method)
    {
        var preflight = await app.Client(key: null).SendAsync(Preflight(url, method));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"), $"preflight {method} {url} allowed another origin");
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Headers = { { "Origin", "https://news.example" } } };
        var actual = await app.Client().SendAsync(request);
        Assert.False(actual.Headers.Contains("Access-Control-Allow-Origin"), $"{method} {url} allowed another origin");
    }
}
