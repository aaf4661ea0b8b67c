using System.Net;
using System.Net.Sockets;

namespace Moderation.Worker.Outbound;

/// <summary>The guard refused every address a host resolved to.</summary>
public sealed class PrivateAddressException(string host, IPAddress address)
    : Exception($"'{host}' resolves to {address}, a loopback, private or link-local address")
{
    public IPAddress Address { get; } = address;
}

/// <summary>
/// The HTTP handler for requests this service makes to URLs someone else chose (webhooks, pull sources).
/// The address is checked when the connection is opened, after DNS: a name that resolves to 127.0.0.1,
/// or that changes its answer between a check and the connection (DNS rebinding), is caught here, and
/// so is every hop of a redirect. Guarded requests connect directly, never through an HTTP proxy from the
/// environment: through a proxy the connection would go to the proxy and the guard would check that.
/// </summary>
public static class GuardedHttp
{
    public static SocketsHttpHandler Handler(bool allowPrivate, bool followRedirects) => allowPrivate
        ? new SocketsHttpHandler { AllowAutoRedirect = followRedirects, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }
        : new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
            ConnectCallback = ConnectToPublicAddressAsync,
        };

    static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var resolved = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (resolved.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var allowed = resolved.Where(a => !PrivateAddresses.IsPrivate(a)).ToArray();
        if (allowed.Length == 0) throw new PrivateAddressException(host, resolved[0]);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a failed request shows in a log others read: a class of error, never the exception's text
    /// (which names hosts, ports and "connection refused" versus "timed out": a port scanner's answer).
    /// </summary>
    public static string Describe(Exception e) =>
        Refusal(e) is not null ? Refused
        : e is TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException ? TimedOut
        : ConnectionFailed;

    public const string Refused = "refused: private address";
    public const string TimedOut = "timeout";
    public const string ConnectionFailed = "connection failed";
    public const string RedirectNotFollowed = "HTTP 3xx (redirects are not followed)";

    static readonly HashSet<string> Classes = [Refused, TimedOut, ConnectionFailed, RedirectNotFollowed];

    /// <summary>
    /// A stored error as the log may show it. Rows written before errors were coarse hold "HTTP 404" or an
    /// exception's text: shown as their class, so an upgrade does not leave an old scan readable.
    /// </summary>
    public static string? Coarse(string? stored) => stored switch
    {
        null => null,
        _ when Classes.Contains(stored) => stored,
        ['H', 'T', 'T', 'P', ' ', var digit, ..] when char.IsAsciiDigit(digit) => $"HTTP {digit}xx",
        _ => ConnectionFailed,
    };

    /// <summary>The guard's refusal behind a failed request, if that is what it was.</summary>
    public static PrivateAddressException? Refusal(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PrivateAddressException refused) return refused;
        return null;
    }

    /// <summary>A status that is not a success, by class: "HTTP 4xx", "HTTP 5xx"; a redirect says it was not followed.</summary>
    public static string Describe(HttpStatusCode status) => (int)status is >= 300 and < 400
        ? RedirectNotFollowed
        : $"HTTP {(int)status / 100}xx";
}
