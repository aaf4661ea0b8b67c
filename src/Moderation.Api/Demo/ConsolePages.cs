using Microsoft.Net.Http.Headers;

namespace Moderation.Api.Demo;

/// <summary>
/// Routes for the static pages in wwwroot that a plain file server cannot express: <c>/admin</c> without
/// the slash, and the reader demo page at <c>/demo/articles/{articleId}</c> (one HTML file for every article;
/// its script reads the id from the address). The pages themselves are static and anonymous; everything
/// they show comes from the JSON API with its own auth.
/// </summary>
public static class ConsolePages
{
    public const string ConsolePage = "admin/index.html";
    public const string DemoPage = "demo/article.html";

    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        // Routing ignores a trailing slash, so this endpoint also matches /admin/ (and then static files stand
        // aside): serve the console page for /admin/ and redirect only the bare /admin.
        app.MapGet("/admin", (IWebHostEnvironment env, HttpContext http) =>
            http.Request.Path.Value?.EndsWith('/') == true ? Page(env, http, ConsolePage) : ToConsole(http))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/demo/articles/{articleId}", (string articleId, IWebHostEnvironment env, HttpContext http) => Page(env, http, DemoPage))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>The redirect of bare /admin, with a line that says what is there: to curl, an empty 302 said nothing (issue 19).</summary>
    static IResult ToConsole(HttpContext http)
    {
        http.Response.Headers.Location = "/admin/";
        return Results.Text("The moderator console is at /admin/: open it in a browser and sign in with a moderator or admin key. " +
            "The API it uses is described at /openapi/v1.json.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status302Found);
    }

    static IResult Page(IWebHostEnvironment env, HttpContext http, string path)
    {
        var file = env.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.PhysicalPath is null) return Results.NotFound();
        http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return Results.File(file.PhysicalPath, "text/html; charset=utf-8");
    }
}
