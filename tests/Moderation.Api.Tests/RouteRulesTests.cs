using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// Deny by default. Every endpoint in the route table must carry the rule this table gives it: a new
/// route fails this test until someone writes down who may call it. A route that slips through anyway
/// (and any path with no route) falls to the fallback policy: the admin key.
/// </summary>
public sealed class RouteRulesTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    const string Anonymous = "anonymous";

    /// <summary>"METHOD pattern" → the policy that guards it (admin / moderator / ingest), or anonymous.</summary>
    static readonly Dictionary<string, string> Expected = new()
    {
        ["GET /health"] = Anonymous,
        ["GET /health/ready"] = Anonymous,
        ["GET /openapi/{documentName}.json"] = Anonymous,
        ["GET /admin"] = Anonymous,
        ["GET /demo/articles/{articleId}"] = Anonymous,
        ["GET /api/public/articles/{articleId}"] = Anonymous,
        ["GET /api/comments/{commentId}/visibility"] = Anonymous,
        ["POST /api/comments/{commentId}/reports"] = Anonymous,

        ["PUT /api/articles/{articleId}"] = "ingest",
        ["POST /api/articles/{articleId}/comments"] = "ingest",

        ["GET /api/articles/{articleId}"] = "moderator",
        ["GET /api/articles/{articleId}/comments"] = "moderator",
        ["GET /api/comments/{commentId}/"] = "moderator",
        ["GET /api/queue/"] = "moderator",
        ["POST /api/queue/{commentId}/decision"] = "moderator",
        ["POST /api/queue/{commentId}/undo"] = "moderator",
        ["POST /api/queue/decisions"] = "moderator",
        ["POST /api/score"] = "moderator",
        ["GET /api/stats"] = "moderator",
        ["GET /api/audit"] = "moderator",
        ["GET /api/authors/{authorId}"] = "moderator",

        ["GET /api/keys/"] = "admin",
        ["POST /api/keys/"] = "admin",
        ["DELETE /api/keys/{keyId}"] = "admin",
        ["GET /api/webhooks/"] = "admin",
        ["POST /api/webhooks/"] = "admin",
        ["DELETE /api/webhooks/{webhookId}"] = "admin",
        ["GET /api/webhooks/deliveries"] = "admin",
        ["GET /api/sources/"] = "admin",
        ["GET /api/settings"] = "admin",
        ["PUT /api/settings"] = "admin",
        ["GET /api/articles/{articleId}/settings"] = "admin",
        ["PUT /api/articles/{articleId}/settings"] = "admin",
        ["POST /api/imports/{format}"] = "admin",
        ["DELETE /api/authors/{authorId}"] = "admin",
        ["DELETE /api/reporters/{reporterId}"] = "admin",
        ["POST /api/backups"] = "admin",
        ["GET /metrics"] = "admin",
    };

    /// <summary>The rule the authorization middleware applies to an endpoint; "fallback" when the endpoint has none of its own.</summary>
    static string Rule(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return Anonymous;
        var rules = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(d => d.Policy ?? d.Roles ?? "any key").Distinct().ToList();
        return rules.Count == 0 ? "fallback" : string.Join(" + ", rules);
    }

    [Fact]
    public void Every_endpoint_in_the_route_table_has_the_rule_the_table_gives_it()
    {
        _ = app.CreateClient();
        var actual = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Route: $"{m} {e.RoutePattern.RawText}", Rule: Rule(e))))
            .ToList();

        var problems = new List<string>();
        foreach (var (route, rule) in actual)
        {
            if (!Expected.TryGetValue(route, out var expected)) problems.Add($"{route} ({rule}) is not in the table: add it with the role that may call it");
            else if (rule != expected) problems.Add($"{route} is guarded by '{rule}', the table says '{expected}'");
        }
        foreach (var route in Expected.Keys.Except(actual.Select(a => a.Route))) problems.Add($"{route} is in the table but not in the route table");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_request_no_route_rules_on_needs_the_admin_key()
    {
        var moderator = app.Client(await app.KeyFor("moderator"));
        foreach (var (method, url, adminGets) in new[]
        {
            ("GET", "/api/no-such-route", HttpStatusCode.NotFound),
            ("DELETE", "/api/queue", HttpStatusCode.MethodNotAllowed),   // a route, but not this method: no rule of its own
        })
        {
            await (await app.Client(key: null).SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(HttpStatusCode.Unauthorized);
            await (await moderator.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(HttpStatusCode.Forbidden);
            Assert.Equal(adminGets, (await app.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).StatusCode);
        }
        // Static files (the console's script and styles) are served before authorization, as before.
        Assert.Equal(HttpStatusCode.OK, (await app.Client(key: null).GetAsync("/report.js")).StatusCode);
    }
}
