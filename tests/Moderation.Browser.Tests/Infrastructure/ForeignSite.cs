using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moderation.Browser.Tests.Infrastructure;

/// <summary>
/// Someone else's website: a separate origin on the loopback (another port) that serves one HTML page, so the
/// widget is tested across origins as a real embed would be. (A Playwright route would not do: Chromium treats
/// a fulfilled page as public and its local-network rules then refuse scripts from 127.0.0.1.)
/// </summary>
public sealed class ForeignSite : IDisposable
{
    readonly HttpListener listener = new();
    readonly string html;

    public ForeignSite(string html)
    {
        this.html = html;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); } catch (Exception) { return; }
            var bytes = Encoding.UTF8.GetBytes(context.Request.Url?.AbsolutePath == "/" ? html : "");
            context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/" ? 200 : 404;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
