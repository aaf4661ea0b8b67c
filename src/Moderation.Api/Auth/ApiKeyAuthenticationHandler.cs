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
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var address = Network.ClientAddress.Key(Context);
        // Before the key is looked at: over the allowance, a right key and a wrong one get the same 429.
        if (failures.IsOverAllowance(address, out var wait)) return Throttled(wait);
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
            return Failed(address, "expected 'Authorization: Bearer <key>'");
        var key = header["Bearer ".Length..].Trim();
        var hash = ApiKeys.Hash(key);
        if (CryptographicOperations.FixedTimeEquals(hash, admin.Hash))
            return Success("admin", Roles.Admin);
        // Lookup by hash: the database compares hashes of 256-bit keys, which leaks nothing useful by timing.
        var row = await keys.FindActiveByHashAsync(Convert.ToHexString(hash), Context.RequestAborted);
        return row is null ? Failed(address, "unknown or revoked key") : Success(row.KeyId, row.Role);
    }

    /// <summary>A wrong key counts against the client address; over the allowance the challenge is 429, not 401.</summary>
    AuthenticateResult Failed(string address, string message) =>
        failures.TryFail(address, out var retryAfter) ? AuthenticateResult.Fail(message) : Throttled(retryAfter);

    AuthenticateResult Throttled(TimeSpan? retryAfter)
    {
        Context.Items[ThrottledItem] = retryAfter ?? TimeSpan.FromMinutes(1);
        return AuthenticateResult.Fail("too many requests with a wrong key from this address");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is not TimeSpan retryAfter) return base.HandleChallengeAsync(properties);
        // The body is left empty: the status code pages middleware writes it as problem details, like the 401.
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    AuthenticateResult Success(string keyId, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, keyId), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
