namespace Moderation.Api.Errors;

/// <summary>Every 4xx is problem details with a <c>detail</c> a newcomer can act on (DESIGN.md, issue 19).</summary>
public static class ErrorServices
{
    public static IServiceCollection AddModerationErrors(this IServiceCollection services)
    {
        // Binding failures throw (BadHttpRequestException with the JsonException inside) instead of ending as a bare 400
        // or 415, so BadRequestProblems can say where the JSON broke or which content type to send.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        services.AddExceptionHandler<StoreBusyProblems>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Detail ??= DefaultDetail(c.HttpContext.Request, c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode));
        return services;
    }

    /// <summary>The detail of answers no handler wrote (status code pages): no route, wrong method, a failure of ours.</summary>
    static string? DefaultDetail(HttpRequest request, int status) => status switch
    {
        // An optional JSON body of the wrong content type is refused by the framework without an exception.
        StatusCodes.Status415UnsupportedMediaType => BadRequestProblems.ContentTypeDetail(request.ContentType),
        StatusCodes.Status404NotFound => "Nothing is at this address. Every route is listed in /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => $"This route does not take {request.Method}. /openapi/v1.json lists the methods each route takes.",
        StatusCodes.Status429TooManyRequests => "Too many requests from this address; wait for the Retry-After seconds and try again.",
        >= 500 => "The service failed on this request; the error is in its log. Retrying may help.",
        _ => null,
    };
}
