using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Moderation.Storage.Keys;

namespace Moderation.Api.Auth;

/// <summary><c>Authorization: Bearer &lt;key&gt;</c>: the bootstrap admin key or a stored, unrevoked key.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AdminKeyProvider admin, KeyRepository keys, FailedKeyAttempts failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    const string ThrottledItem = "Moderation.Auth.Throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();   // challenged as "missing"
        var address = Network.ClientAddress.Key(Context);
        // Before the key is looked at: over the allowance, a right key and a wrong one get the same 429.
        if (failures.IsOverAllowance(address, out var wait)) return Throttled(wait);
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512 || header["Bearer ".Length..].Trim() is not { Length: > 0 })
            return Failed(address, KeyRefusal.Malformed);
        var key = header["Bearer ".Length..].Trim();
        var hash = ApiKeys.Hash(key);
        if (CryptographicOperations.FixedTimeEquals(hash, admin.Hash))
            return Success("admin", Roles.Admin);
        // Lookup by hash: the database compares hashes of 256-bit keys, which leaks nothing useful by timing.
        var row = await keys.FindActiveByHashAsync(Convert.ToHexString(hash), Context.RequestAborted);
        if (row is not null) return Success(row.KeyId, row.Role);
        return Failed(address, await keys.IsRevokedAsync(Convert.ToHexString(hash), Context.RequestAborted) ? KeyRefusal.Revoked : KeyRefusal.Unknown);
    }

    /// <summary>A wrong key counts against the client address; over the allowance the challenge is 429, not 401.</summary>
    AuthenticateResult Failed(string address, KeyRefusal refusal)
    {
        if (!failures.TryFail(address, out var retryAfter)) return Throttled(retryAfter);
        Context.Items[RefusalItem] = refusal;
        return AuthenticateResult.Fail(refusal.ToString().ToLowerInvariant() + " key");
    }

    AuthenticateResult Throttled(TimeSpan? retryAfter)
    {
        Context.Items[ThrottledItem] = retryAfter ?? TimeSpan.FromMinutes(1);
        return AuthenticateResult.Fail("too many requests with a wrong key from this address");
    }

    const string RefusalItem = "Moderation.Auth.Refusal";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is TimeSpan retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return KeyProblems.Throttled(seconds).ExecuteAsync(Context);
        }
        var refusal = Context.Items[RefusalItem] as KeyRefusal? ?? KeyRefusal.Missing;
        // RFC 6750: a request without credentials gets the bare challenge; a refused key is an invalid_token.
        Response.Headers.WWWAuthenticate = refusal == KeyRefusal.Missing ? "Bearer" : "Bearer error=\"invalid_token\"";
        return KeyProblems.Unauthorized(refusal).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        KeyProblems.Forbidden(Context.GetEndpoint(), Context.User).ExecuteAsync(Context);

    AuthenticateResult Success(string keyId, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, keyId), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
