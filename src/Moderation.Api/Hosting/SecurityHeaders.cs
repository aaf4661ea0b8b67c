namespace Moderation.Api.Hosting;

/// <summary>
/// Comment text is untrusted everywhere: pages load only our own scripts and styles, and no
/// page may be framed. Only the report endpoint is open to other origins (the embeddable widget).
/// </summary>
public static class SecurityHeaders
{
    public const string ReportWidgetCors = "report-widget";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        await next();
    });
}
