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
    AdminKeyProvider admin, KeyRepository keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
            return AuthenticateResult.Fail("expected 'Authorization: Bearer <key>'");
        var key = header["Bearer ".Length..].Trim();
        var hash = ApiKeys.Hash(key);
        if (CryptographicOperations.FixedTimeEquals(hash, admin.Hash))
            return Success("admin", Roles.Admin);
        // Lookup by hash: the database compares hashes of 256-bit keys, which leaks nothing useful by timing.
        var row = await keys.FindActiveByHashAsync(Convert.ToHexString(hash), Context.RequestAborted);
        return row is null ? AuthenticateResult.Fail("unknown or revoked key") : Success(row.KeyId, row.Role);
    }

    AuthenticateResult Success(string keyId, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, keyId), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
