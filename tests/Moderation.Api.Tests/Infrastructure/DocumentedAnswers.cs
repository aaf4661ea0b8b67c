using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Moderation.Api.Tests.Infrastructure;

/// <summary>
/// What the OpenAPI document says each route answers, as "METHOD /path STATUS" keys, and the same key for an answer a
/// test saw. The document is the same for every app of this build, so it is read once per test run.
/// </summary>
public static class DocumentedAnswers
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static HashSet<string>? documented;

    /// <summary>The key of the answer just given, or null when it is not the document's business: no route (404 of an
    /// unknown path, 405), a CORS preflight (OPTIONS, answered by the CORS middleware for the route), a page left out of
    /// the document (/admin), or a failure of ours (5xx is a bug, never declared).</summary>
    public static string? Key(HttpContext context)
    {
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var status = context.Response.StatusCode;
        if (endpoint is not RouteEndpoint route || status is < 200 or >= 499 || HttpMethods.IsOptions(context.Request.Method)) return null;
        if (route.Metadata.GetMetadata<IHttpMethodMetadata>() is null) return null;
        if (route.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true) return null;
        return $"{context.Request.Method} {Path(route.RoutePattern.RawText!)} {status}";
    }

    /// <summary>"/api/queue/" (a group's root) is "/api/queue" in the document.</summary>
    static string Path(string pattern) => pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;

    public static IReadOnlyList<string> Missing(TestApp app, IEnumerable<string> seen)
    {
        var known = Task.Run(() => LoadAsync(app)).GetAwaiter().GetResult();
        return seen.Where(s => !known.Contains(s)).Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<HashSet<string>> LoadAsync(TestApp app)
    {
        await Gate.WaitAsync();
        try { return documented ??= Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")); }
        finally { Gate.Release(); }
    }

    public static HashSet<string> Parse(string json)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in JsonDocument.Parse(json).RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                    set.Add($"{operation.Name.ToUpperInvariant()} {path.Name} {response.Name}");
        return set;
    }
}
