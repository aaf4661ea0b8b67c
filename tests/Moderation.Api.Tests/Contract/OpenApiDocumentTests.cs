using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Api.OpenApi;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Contract;

/// <summary>
/// /openapi/v1.json is complete enough for a generated client (issue 19). Beside these checks, every HTTP test's own
/// answers are held to the document when its app is disposed (TestApp, DocumentedAnswers).
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    async Task<JsonElement> Document() => await app.Client(key: null).GetJson("/openapi/v1.json");

    static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), p.Name, o.Value)));

    [Fact]
    public async Task Every_route_in_the_route_table_is_in_the_document()
    {
        var documented = Operations(await Document()).Select(o => $"{o.Method} {o.Path}").ToHashSet();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription != true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToList();
        Assert.True(routes.Count > 25, $"only {routes.Count} routes found");
        var missing = routes.Where(r => !documented.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "not in the document: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Keyed_operations_require_the_bearer_scheme_and_anonymous_ones_do_not()
    {
        var document = await Document();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        string[] anonymous = ["GET /health", "GET /health/ready", "GET /api/comments/{commentId}/visibility", "POST /api/comments/{commentId}/reports", "GET /api/public/articles/{articleId}"];
        foreach (var (method, path, operation) in Operations(document))
        {
            var keyed = operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("bearer", out _));
            Assert.True(keyed != anonymous.Contains($"{method} {path}"), $"{method} {path}: security {(keyed ? "required" : "missing")}");
            var responses = operation.GetProperty("responses");
            if (keyed) Assert.All(new[] { "401", "403" }, s => Assert.True(responses.TryGetProperty(s, out _), $"{method} {path} lacks {s}"));
        }
        Assert.Contains("moderator", Operations(document).Single(o => o.Path == "/api/queue" && o.Method == "GET").Operation.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Every_operation_says_what_its_success_carries()
    {
        foreach (var (method, path, operation) in Operations(await Document()))
        {
            var success = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{method} {path} declares no 2xx");
            // JSON for the API; another media type (a Prometheus text page, say) still needs its schema.
            foreach (var r in success.Where(r => r.Name != "204"))
                Assert.True(r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(m => m.Value.TryGetProperty("schema", out _)),
                    $"{method} {path} {r.Name} has no schema");
        }
    }

    [Fact]
    public async Task Imports_take_the_file_as_the_body_and_numbers_are_numbers()
    {
        var document = await Document();
        var body = Operations(document).Single(o => o.Path == "/api/imports/{format}").Operation.GetProperty("requestBody").GetProperty("content");
        Assert.True(body.TryGetProperty("application/x-ndjson", out _));
        Assert.True(body.TryGetProperty("application/xml", out _));
        var priority = document.GetProperty("components").GetProperty("schemas").GetProperty("QueueItem").GetProperty("properties").GetProperty("priority");
        Assert.Equal("number", priority.GetProperty("type").GetString());
        var reasons = document.GetProperty("components").GetProperty("schemas").GetProperty("RawJson");
        Assert.Equal("array", reasons.GetProperty("type").GetString());
    }

    /// <summary>The examples are the README tour's values, and the service takes each of them as it stands.</summary>
    [Fact]
    public async Task Every_main_request_body_has_an_example_the_service_accepts()
    {
        var operations = Operations(await Document()).ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!);
        var client = app.Client();
        // The examples name these: the article and comment exist first, in the tour's order.
        string[] order = ["PutArticle", "IngestComment", "ReportComment", "ScorePreview", "Decide", "BulkDecide", "CreateKey", "CreateWebhook", "PutSettings", "PutArticleSettings"];
        Assert.Equal(order.Order(), RequestExamples.All.Keys.Order());
        foreach (var id in order)
        {
            var (method, path, operation) = operations[id];
            var example = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetRawText();
            var url = path.Replace("{articleId}", "bike-lanes").Replace("{commentId}", "c1");
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(example, Encoding.UTF8, "application/json") });
            Assert.True(response.IsSuccessStatusCode, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_check_on_every_test_flags_an_answer_the_document_does_not_list()
    {
        var known = DocumentedAnswers.Parse((await Document()).GetRawText());
        Assert.Contains("POST /api/articles/{articleId}/comments 202", known);
        Assert.Contains("GET /api/queue 401", known);
        Assert.Equal(["GET /api/keys 404"], DocumentedAnswers.Missing(app, ["GET /api/keys 404", "GET /api/keys 200"]));
    }
}

/// <summary>
/// docs/openapi/v1.json is what the service serves: integrators read it, and the generated client of these tests is
/// built from it. After a change to the API: <c>UPDATE_OPENAPI=1 dotnet test tests/Moderation.Api.Tests --filter
/// CommittedOpenApiDocumentTests</c> writes it, then build again (the client is generated from it at build time).
/// </summary>
public sealed class CommittedOpenApiDocumentTests : IDisposable
{
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    [Fact]
    public async Task The_committed_document_is_the_one_the_service_serves()
    {
        var path = typeof(CommittedOpenApiDocumentTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "OpenApiDocument").Value!;
        var served = await app.Client(key: null).GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(path, served);
        var same = System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(served), System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path)));
        Assert.True(same, $"{path} differs from /openapi/v1.json: run UPDATE_OPENAPI=1 dotnet test tests/Moderation.Api.Tests --filter CommittedOpenApiDocumentTests, then build again");
    }
}
