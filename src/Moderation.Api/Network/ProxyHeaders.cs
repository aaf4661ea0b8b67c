using Microsoft.AspNetCore.HttpOverrides;

namespace Moderation.Api.Network;

/// <summary>
/// <c>X-Forwarded-For</c> from the proxies of <see cref="NetworkOptions"/>, and only from them. The
/// middleware is left out entirely when none is configured: ASP.NET Core's own defaults trust loopback,
/// and with both lists empty it would trust every sender.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddModerationNetwork(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(_ => NetworkOptions.From(config));
        services.AddOptions<ForwardedHeadersOptions>().Configure<NetworkOptions>((o, network) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;   // the address only: no URL is built from the scheme or host
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in network.KnownProxies) o.KnownProxies.Add(proxy);
            foreach (var range in network.KnownNetworks) o.KnownIPNetworks.Add(range);
            // Walk the header from the right while each hop is a trusted proxy (a CDN in front of nginx is two);
            // the first address not in the lists is the client, whatever a client wrote further left.
            o.ForwardLimit = null;
        });
        return services;
    }

    public static IApplicationBuilder UseModerationForwardedHeaders(this IApplicationBuilder app)
    {
        var network = app.ApplicationServices.GetRequiredService<NetworkOptions>();
        return network.TrustsAnyProxy ? app.UseForwardedHeaders() : app;
    }
}
