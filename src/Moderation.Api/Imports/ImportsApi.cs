using Microsoft.AspNetCore.Mvc;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Worker.Connectors;
using Moderation.Worker.Connectors.Imports;

namespace Moderation.Api.Imports;

public static class ImportsApi
{
    /// <summary>
    /// <c>POST /api/imports/{ndjson|wxr}?idPrefix=</c> with the file as the body. Streamed, so the body-size limit of
    /// the other endpoints does not apply (admins only); the answer is the import's report.
    /// </summary>
    public static RouteGroupBuilder MapImports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{format}", Import).WithName("Import").WithMetadata(new DisableRequestSizeLimitAttribute())
            .WithSummary("Backfill from an NDJSON file of our ingest shape or a WordPress export (WXR); importing the same file again adds nothing")
            .Accepts<Stream>(false, "application/x-ndjson", "application/xml").Produces<ImportReport>().ProducesValidationProblem();
        return group;
    }

    static async Task<IResult> Import(string format, string? idPrefix, HttpRequest request, IngestService ingest, CancellationToken ct)
    {
        var check = new Check();
        if (!Importer.TryParseFormat(format, out var parsed)) check.Fail("format", "must be ndjson or wxr");
        if (idPrefix is { Length: > 32 } || (idPrefix is not null && !idPrefix.All(c => c is >= '!' and <= '~')))
            check.Fail("idPrefix", "must be at most 32 printable ASCII characters");
        if (check.Problem is { } problem) return problem;
        var report = await new Importer(ingest).ImportAsync(request.Body, parsed, idPrefix ?? "", ct);
        return TypedResults.Ok(report);
    }
}
