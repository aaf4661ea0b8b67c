using System.Security.Claims;

namespace Moderation.Api.Auth;

/// <summary>Who is acting, as the audit log names them: the key's id, or <c>admin</c> for the bootstrap key.</summary>
public static class Actor
{
    public static string Of(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
