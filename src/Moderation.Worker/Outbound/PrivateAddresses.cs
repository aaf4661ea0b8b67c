using System.Net;
using System.Net.Sockets;

namespace Moderation.Worker.Outbound;

/// <summary>
/// Addresses an outgoing request from this service must not reach unless the operator allows it: the
/// machine itself, its private networks and the cloud metadata services (169.254.169.254, Alibaba's
/// 100.100.100.200, AWS's fd00:ec2::254). IPv6 forms that carry an IPv4 address (mapped, compatible,
/// NAT64, 6to4) are judged by that address, so ::ffff:127.0.0.1 is loopback.
/// </summary>
public static class PrivateAddresses
{
    static readonly IPNetwork[] V4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", including 0.0.0.0 (which Linux connects to the machine itself)
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT: shared, not public; clouds put metadata here (100.100.100.200)
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, the metadata service at 169.254.169.254
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking, used inside data centres
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, and 255.255.255.255
    ];

    static readonly IPNetwork[] V6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),         // unique-local
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // the old site-local
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    public static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return V4.Any(n => n.Contains(address));
        if (address.IsIPv4MappedToIPv6) return IsPrivate(address.MapToIPv4());
        if (V6.Any(n => n.Contains(address))) return true;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || Compatible.Contains(address)) return IsPrivate(new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address)) return IsPrivate(new IPAddress(bytes.AsSpan(2, 4)));
        return false;
    }

    /// <summary>
    /// A URL whose host is written as a private address, said at once when a webhook is created. Names,
    /// <c>localhost</c> among them, are left to the check at connect time, which sees what they resolve to.
    /// </summary>
    public static bool IsPrivateHost(Uri url) => IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IsPrivate(address);
}
