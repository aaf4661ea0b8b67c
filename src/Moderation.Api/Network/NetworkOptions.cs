using System.Net;

namespace Moderation.Api.Network;

/// <summary>
/// Bound from <c>Moderation:Network</c>: the reverse proxies (nginx, a CDN, a load balancer) whose
/// <c>X-Forwarded-For</c> is believed. Empty by default: no proxy is trusted and the connection's own
/// address is the client's, so a forged header changes nothing.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Moderation:Network";

    /// <summary>Single addresses, e.g. <c>10.0.0.5</c>; a list, or one value separated by commas.</summary>
    public IReadOnlyList<IPAddress> KnownProxies { get; init; } = [];

    /// <summary>Ranges in CIDR form, e.g. <c>10.0.0.0/24</c> or <c>2001:db8::/48</c>.</summary>
    public IReadOnlyList<IPNetwork> KnownNetworks { get; init; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Reads the section; a value that is not an address or a range is a <see cref="FormatException"/> naming its key.</summary>
    public static NetworkOptions From(IConfiguration config)
    {
        var section = config.GetSection(Section);
        return new NetworkOptions
        {
            KnownProxies = Values(section.GetSection(nameof(KnownProxies))).Select(v => IPAddress.TryParse(v.Text, out var a) ? a
                : throw new FormatException($"{v.Key} = '{v.Text}' is not an IP address")).ToList(),
            KnownNetworks = Values(section.GetSection(nameof(KnownNetworks))).Select(v => IPNetwork.TryParse(v.Text, out var n) ? n
                : throw new FormatException($"{v.Key} = '{v.Text}' is not a network in CIDR form (e.g. 10.0.0.0/24)")).ToList(),
        };
    }

    /// <summary>Both <c>Key:0</c>, <c>Key:1</c> (appsettings.json arrays) and <c>Key=a,b</c> (command line, environment).</summary>
    static IEnumerable<(string Key, string Text)> Values(IConfigurationSection section)
    {
        // Children win: some providers report an empty value for a section that only has children.
        var children = section.GetChildren().Select(c => (c.Path, c.Value ?? "")).ToList();
        var items = children.Count > 0 ? children : [(section.Path, section.Value ?? "")];
        return items.SelectMany(i => i.Item2.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (i.Item1, t)));
    }
}
