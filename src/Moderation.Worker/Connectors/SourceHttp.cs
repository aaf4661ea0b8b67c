using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Moderation.Worker.Outbound;

namespace Moderation.Worker.Connectors;

/// <summary>A source's answer that was not usable: a status after all retries, or a body that does not parse.</summary>
public sealed class SourceException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// GETs for one source through the resilient client (retries on 429, 5xx and time-outs live in the
/// handler; see ConnectorServices), with the source's Basic credentials when it has them.
/// </summary>
public sealed class SourceHttp(HttpClient http, SourceOptions source)
{
    public const string ClientName = "moderation-connectors";

    readonly AuthenticationHeaderValue? auth = source.HasCredentials
        ? new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.User}:{source.AppPassword}")))
        : null;

    public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseHeaders Headers);

    /// <summary>The answer to a GET; a non-success status after the retries is a <see cref="SourceException"/>.</summary>
    public Task<Answer> GetAsync(Uri url, CancellationToken ct, params HttpStatusCode[] alsoAccept) =>
        SendAsync(HttpMethod.Get, url, null, ct, alsoAccept);

    /// <summary>A POST of a JSON body (a write-back); as <see cref="GetAsync"/>, statuses in <paramref name="alsoAccept"/> are answers, not errors.</summary>
    public Task<Answer> PostJsonAsync(Uri url, object body, CancellationToken ct, params HttpStatusCode[] alsoAccept) =>
        SendAsync(HttpMethod.Post, url, JsonContent.Create(body), ct, alsoAccept);

    async Task<Answer> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken ct, HttpStatusCode[] alsoAccept)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = auth;
        request.Headers.Accept.ParseAdd("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new SourceException(GuardedHttp.Refusal(e) is { } refused
                ? $"{method} {Redact(url)} refused: {refused.Message} (set Moderation:Connectors:AllowPrivate=true to allow it)"
                : $"{method} {Redact(url)} failed: {e.Message}", null, e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode && !alsoAccept.Contains(response.StatusCode))
                throw new SourceException($"{method} {Redact(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
            return new Answer(response.StatusCode, body, response.Headers);
        }
    }

    /// <summary>URLs go into logs and the admin view: never with credentials in them.</summary>
    static string Redact(Uri url) => string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : url.ToString().Replace(url.UserInfo + "@", "", StringComparison.Ordinal);
}
