using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Moderation.Api.Auth;
using Moderation.Api.Hosting;

namespace Moderation.Api.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, complete enough for a generated client (issue 19): every status a route
/// answers (routes declare their own; <see cref="DeclareCommonAnswers"/> adds the ones every keyed or body-taking
/// route shares), the bearer scheme and each operation's requirement, the raw NDJSON/WXR body of imports, and
/// examples of the main request bodies (<see cref="RequestExamples"/>). OpenApiDocumentTests holds it to what the
/// HTTP tests see.
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddModerationOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Comment moderation API";
            document.Info.Description = "Scores article comments for profanity, relevance and off-topic length, and keeps the review queue. " +
                "Authenticate with 'Authorization: Bearer <key>'; each operation says which role it needs. Every error is RFC 9457 problem details.";
            // No servers entry: the generator would write the address this request came to, which differs by host (the
            // committed docs/openapi/v1.json must not depend on it); a client uses its own base address.
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "API key",
                Description = "An API key: the bootstrap admin key (admin.key beside the database) or one made with POST /api/keys.",
            };
            AddMetricsPath(document);
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var role = RoleOf(context.Description.ActionDescriptor.EndpointMetadata);
            if (role is null) return Task.CompletedTask;
            operation.Security = BearerRequirement(context.Document!);
            operation.Description = $"Needs {role}." + (operation.Description is null ? "" : " " + operation.Description);
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(RequestExamples.ApplyAsync);
        o.AddSchemaTransformer((schema, _, _) =>
        {
            // The web JSON defaults read "0.5" as 0.5 too, so the generator types every number "number or string" with a
            // pattern. Answers always carry numbers and clients should send them: say a number (a generated client
            // otherwise gets an untyped object for every score).
            if (schema.Type is { } t && (t & JsonSchemaType.String) != 0 && (t & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0)
            {
                schema.Type = t & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer(async (schema, context, ct) =>
        {
            // A queue entry's reasons are passed through as stored (RawJson): in the document they are what they are, reasons.
            if (context.JsonTypeInfo.Type != typeof(RawJson)) return;
            var reasons = await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<Moderation.Core.Scoring.Reason>), null, ct);
            schema.Type = JsonSchemaType.Array;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            schema.Items = reasons.Items;
        });
    });

    /// <summary>
    /// GET /metrics is the Prometheus exporter's own endpoint, not a route handler, so the API explorer cannot describe it:
    /// it is written here as it is mapped (TelemetrySetup.MapMetrics): Prometheus text, an admin key, the keyed refusals.
    /// </summary>
    static void AddMetricsPath(OpenApiDocument document)
    {
        var problem = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", document) };
        OpenApiResponse Refusal(string why) => new() { Description = why, Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = problem } };
        document.Paths ??= new OpenApiPaths();
        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "Metrics", Tags = new HashSet<OpenApiTagReference> { new("Metrics", document) },
                    Summary = "Prometheus text exposition of the service's meters (admin key as a bearer token)",
                    Description = "Needs an admin key.",
                    Security = BearerRequirement(document),
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "OK",
                            Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                        },
                        ["401"] = Refusal("Unauthorized"), ["403"] = Refusal("Forbidden"), ["429"] = Refusal("Too Many Requests"),
                    },
                },
            },
        };
    }

    static List<OpenApiSecurityRequirement> BearerRequirement(OpenApiDocument document) =>
        [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

    /// <summary>"a moderator or admin key" and so on; null for an anonymous route. No rule of its own: the admin-only fallback.</summary>
    internal static string? RoleOf(IEnumerable<object> metadata)
    {
        var list = metadata.ToList();
        if (list.OfType<IAllowAnonymous>().Any()) return null;
        return list.OfType<IAuthorizeData>().Select(d => d.Policy).LastOrDefault(p => p is not null) switch
        {
            Roles.ModeratorPolicy => "a moderator or admin key",
            Roles.IngestPolicy => "an ingest or admin key",
            _ => "an admin key",
        };
    }

    /// <summary>
    /// The answers shared by kinds of route, declared once: a keyed route can answer 401 (no or a refused key), 403 (a
    /// key without the role) and 429 (too many wrong keys from the address); a route that reads a body, 400 (bad JSON),
    /// 413 (over Moderation:Limits:MaxBodyBytes) and 415 (not JSON). Runs after each route's own conventions.
    /// </summary>
    public static TBuilder DeclareCommonAnswers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
            var statuses = new List<int>();
            if (RoleOf(endpoint.Metadata) is not null) statuses.AddRange([401, 403, 429]);
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().Any()) statuses.AddRange([400, 413, 415]);
            foreach (var status in statuses.Where(declared.Add))
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        });
        return builder;
    }
}
