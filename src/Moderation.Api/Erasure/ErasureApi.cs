using System.Security.Claims;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage.Erasure;
using Moderation.Worker;

namespace Moderation.Api.Erasure;

/// <summary>
/// Erasure of one person's data on request (admin). 200 with how much was erased; asking again erases nothing more and
/// answers zeros. <c>?vacuum=true</c> also rebuilds the database file, so no fragment of an earlier version of a row
/// (a text before an edit) stays in its free space; writes wait meanwhile. The ids are the site's (authorId on ingest, reporterId on reports). docs/OPERATIONS.md, "Erasure".
/// </summary>
public static class ErasureApi
{
    public static RouteGroupBuilder MapErasure(this RouteGroupBuilder api)
    {
        api.MapDelete("/authors/{authorId}", EraseAuthor).RequireAuthorization(Roles.AdminPolicy).WithTags("Erasure").WithName("EraseAuthor")
            .WithSummary("Erase an author's comments (texts, name, scores, queue entries, kept texts) everywhere; audit rows stay without detail")
            .Produces<AuthorErased>().ProducesProblem(400);
        api.MapDelete("/reporters/{reporterId}", EraseReporter).RequireAuthorization(Roles.AdminPolicy).WithTags("Erasure").WithName("EraseReporter")
            .WithSummary("Erase a reporter's id, address hash and details from their reports; the reports still count")
            .Produces<ReporterErased>().ProducesProblem(400);
        return api;
    }

    static async Task<IResult> EraseAuthor(string authorId, ClaimsPrincipal user, ErasureRepository erasure, BatchProcessor worker,
        TimeProvider time, ILogger<ErasureRepository> log, CancellationToken ct, bool vacuum = false)
    {
        if (!Check.IsId(authorId)) return new Check().Fail("authorId", "must be 1-128 printable ASCII characters").Problem!;
        var erased = await erasure.EraseAuthorAsync(authorId, vacuum, Actor.Of(user), time.GetUtcNow(), ct);
        // The worker's in-memory thread context holds recent comments' embeddings: drop it, it is rebuilt from the database.
        if (erased.Comments > 0) worker.ForgetThreads();
        // Whose data it was stays out of the logs too: that is what was erased.
        log.LogInformation("Erased an author's data: {Comments} comments, {Reports} reports on them", erased.Comments, erased.Reports);
        return TypedResults.Ok(new AuthorErased(authorId, erased.Comments, erased.Reports, erased.DecidedTexts, erased.AuditDetails, erased.LogTruncated));
    }

    static async Task<IResult> EraseReporter(string reporterId, ClaimsPrincipal user, ErasureRepository erasure, TimeProvider time, ILogger<ErasureRepository> log,
        CancellationToken ct, bool vacuum = false)
    {
        if (!Check.IsId(reporterId)) return new Check().Fail("reporterId", "must be 1-128 printable ASCII characters").Problem!;
        var erased = await erasure.EraseReporterAsync(reporterId, vacuum, Actor.Of(user), time.GetUtcNow(), ct);
        log.LogInformation("Erased a reporter's data: {Reports} reports", erased.Reports);
        return TypedResults.Ok(new ReporterErased(reporterId, erased.Reports, erased.LogTruncated));
    }
}

/// <summary>DELETE /api/authors/{authorId}: how much was erased (zeros when asked again).</summary>
public sealed record AuthorErased(string AuthorId, int Comments, int ReportsOnThem, int EditedTexts, int AuditDetailsCleared, bool LogTruncated);

/// <summary>DELETE /api/reporters/{reporterId}: how many reports lost their personal fields (zero when asked again).</summary>
public sealed record ReporterErased(string ReporterId, int Reports, bool LogTruncated);
