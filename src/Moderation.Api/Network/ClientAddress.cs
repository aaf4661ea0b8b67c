using System.Net;
using System.Net.Sockets;

namespace Moderation.Api.Network;

/// <summary>
/// The one key every per-address rule uses (the report limit, the report weight cap, anonymous reporter
/// de-duplication, the failed-key throttle). An IPv4 client is its address. An IPv6 client is its /64:
/// a home or mobile connection is given a whole /64 and may pick any address in it, so counting single
/// IPv6 addresses would let one reader be 2^64 readers.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Key(HttpContext http) => Key(http.Connection.RemoteIpAddress);

    public static string Key(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
