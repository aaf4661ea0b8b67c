using Microsoft.AspNetCore.Diagnostics;
using Moderation.Storage;

namespace Moderation.Api.Errors;

/// <summary>
/// A write that lost to other writers for longer than the store waits: on PostgreSQL a transaction that failed as a
/// serialization failure or deadlock on each of its 20 tries (Database.InTransactionAsync), on SQLite a write lock
/// another process held past the busy timeout. Nothing of the request was stored (its transaction rolled back), and
/// the same request later will most likely succeed: 503 with Retry-After, not 500, so a client (the site's comment
/// system, the console) knows to send it again.
/// </summary>
public sealed class StoreBusyProblems(ILogger<StoreBusyProblems> log) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before sending the request again.</summary>
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!Database.IsBusy(exception) || http.Response.HasStarted) return false;
        log.LogWarning(exception, "{Method} {Path}: the database stayed busy; answered 503", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database busy",
            detail: $"The database was too busy with other writes to take this request; nothing of it was stored. Send it again after {RetryAfterSeconds} seconds.")
            .ExecuteAsync(http);
        return true;
    }
}
