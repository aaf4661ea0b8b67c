using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Moderation.Api.Errors;

/// <summary>
/// Requests minimal APIs refuse before a handler runs (a body that is not JSON, a value of the wrong type, a body that
/// is not JSON at all by its Content-Type) become problem details that say what to fix: where the JSON broke (line,
/// byte, field) and the type expected, or which content type to send. The framework throws these only because
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on (ErrorServices); without it they were a bare 400 or 415 and
/// nothing in the log. Never the body itself: a comment's text or a key may be in it.
/// </summary>
public sealed partial class BadRequestProblems(ILogger<BadRequestProblems> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad || http.Response.HasStarted) return false;
        var (title, detail) = bad.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", ContentTypeDetail(http.Request.ContentType)),
            StatusCodes.Status413PayloadTooLarge => ("Payload too large", "The body is larger than this route takes."),
            _ when bad.InnerException is JsonException json => ("Invalid JSON", JsonDetail(json, BodyType(http))),
            _ => ("Bad request", "The request could not be read: " + Safe(bad.Message)),
        };
        log.LogInformation("Refused {Method} {Path} with {Status}: {Detail}", http.Request.Method, http.Request.Path, bad.StatusCode, detail);
        http.Response.StatusCode = bad.StatusCode;
        await TypedResults.Problem(statusCode: bad.StatusCode, title: title, detail: detail).ExecuteAsync(http);
        return true;
    }

    internal static string ContentTypeDetail(string? sent)
    {
        var said = string.IsNullOrEmpty(sent) ? "no Content-Type" : $"Content-Type '{Safe(sent.Split(';')[0].Trim())}'";
        return $"Send the body as JSON with the header 'Content-Type: application/json' (this request had {said}).";
    }

    /// <summary>
    /// The type the route reads its JSON body as (from its Accepts metadata), null when it declares none. The exception
    /// handler has already cleared the request's endpoint; its feature keeps the one that threw.
    /// </summary>
    static Type? BodyType(HttpContext http) =>
        http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    /// <summary>Where the reader stopped and why, in the words of the contract (field path, type expected).</summary>
    static string JsonDetail(JsonException e, Type? body)
    {
        var where = $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
        var field = e.Path is null or "$" ? "" : $" (field '{FieldName(e.Path)}')";
        // "could not be converted to X" names the record holding the field, not the field's type: the type expected is
        // found by walking the body type along the path the reader reports.
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal) && body is not null && TypeAt(body, e.Path ?? "$") is { } type)
            return e.Path is null or "$" ? $"The body must be {Expected(type)} (line 1, byte 1 on)." : $"The value at {where}{field} is not {Expected(type)}.";
        if (e.Message.Contains("maximum configured depth", StringComparison.Ordinal))
            return $"The JSON is nested too deeply at {where}{field}.";
        return $"The body is not valid JSON: it breaks at {where}{field}. Check quotes, commas and brackets; " +
            "the body must be one JSON object.";
    }

    /// <summary>"$.filter.score.min" → "filter.score.min"; "$.comments[0].text" → "comments[0].text" (the names field errors use).</summary>
    static string FieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The type at a reader path such as <c>$.filter.score.min</c> or <c>$.comments[0].text</c>; null where it cannot tell.</summary>
    internal static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups["index"].Success) type = ElementType(type);
            else if (type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) type = type.GetGenericArguments()[1];
            else type = type?.GetProperty(step.Groups["name"].Value,
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            if (type is null) return null;
        }
        return type;
    }

    static Type? ElementType(Type? type) =>
        type is null || type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>A .NET type said as the JSON it takes.</summary>
    static string Expected(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Expected(inner);
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "a date and time in ISO 8601 (e.g. 2026-12-03T09:30:00Z)";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return "an object";
        return ElementType(type) is { } element ? $"an array of {Plural(Expected(element))}" : "an object";
    }

    static string Plural(string a) => a switch { "a string" => "strings", "a number" => "numbers", "an object" => "objects", _ => a };

    /// <summary>Framework messages name the request's own parts at most; cut to one printable line all the same.</summary>
    static string Safe(string text) => new(text.Where(c => c is >= ' ' and <= '~').Take(100).ToArray());

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}
