using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Moderation.Api.Auth;

/// <summary>Why a key was refused, as the 401 says it.</summary>
public enum KeyRefusal { Missing, Malformed, Unknown, Revoked }

/// <summary>
/// The 401, 403 and 429 of authentication as problem details that say what to do: never the key itself, and never
/// more about a key than its caller already holds (a revoked key was theirs; "unknown" covers any other guess).
/// </summary>
public static class KeyProblems
{
    public static IResult Unauthorized(KeyRefusal refusal) => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
        detail: refusal switch
        {
            KeyRefusal.Malformed => "The Authorization header must be 'Bearer <key>': the word Bearer, one space, then the key (at most 500 characters).",
            KeyRefusal.Unknown => "This key is not known to the service. Check that it was copied whole: a key is shown once, when it is made.",
            KeyRefusal.Revoked => "This key was revoked by an admin. Ask an admin for a new one (POST /api/keys).",
            _ => "This route needs a key: send 'Authorization: Bearer <key>'. The bootstrap admin key is in admin.key beside the database; " +
                 "admins make other keys with POST /api/keys.",
        });

    public static IResult Throttled(int seconds) => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
        detail: $"Too many requests with a wrong key from this address; try again in {seconds} seconds.");

    /// <summary>403: which role the route needs (from its policy; a route without one falls to the admin-only fallback) and the key's role.</summary>
    public static IResult Forbidden(Endpoint? endpoint, ClaimsPrincipal user)
    {
        var policy = endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(d => d.Policy).LastOrDefault(p => p is not null) ?? Roles.AdminPolicy;
        var needs = policy switch
        {
            Roles.ModeratorPolicy => "a moderator or admin key",
            Roles.IngestPolicy => "an ingest or admin key",
            _ => "an admin key",
        };
        var role = user.FindFirst(ClaimTypes.Role)?.Value ?? "none";
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: $"This route needs {needs}; this key's role is '{role}'.");
    }
}
