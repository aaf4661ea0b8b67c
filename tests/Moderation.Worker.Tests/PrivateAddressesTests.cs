using System.Net;
using Moderation.Worker.Outbound;

namespace Moderation.Worker.Tests;

/// <summary>What the outbound guard refuses (webhooks always, sources when told) and what it lets through.</summary>
public sealed class PrivateAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]     // cloud metadata
    [InlineData("100.64.0.1")]          // carrier-grade NAT
    [InlineData("100.100.100.200")]     // Alibaba Cloud metadata, inside 100.64/10
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]        // AWS metadata over IPv6
    [InlineData("::ffff:127.0.0.1")]     // IPv4-mapped forms of the above
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]          // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe")]   // NAT64 of 169.254.169.254
    [InlineData("2002:7f00:1::1")]       // 6to4 of 127.0.0.1
    public void Refuses(string address) => Assert.True(PrivateAddresses.IsPrivate(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]           // just past 172.16/12
    [InlineData("172.15.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("100.128.0.1")]          // just past 100.64/10
    [InlineData("203.0.113.10")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]     // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]      // 6to4 of 8.8.8.8
    public void Lets_through(string address) => Assert.False(PrivateAddresses.IsPrivate(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", true)]
    [InlineData("http://[::ffff:127.0.0.1]:8080/", true)]
    [InlineData("http://2130706433/", true)]              // 127.0.0.1 written as one number
    [InlineData("https://hooks.example.com/x", false)]
    [InlineData("http://localhost/x", false)]              // a name: checked when connecting, after DNS
    public void A_url_that_names_a_private_address_is_seen_before_any_connection(string url, bool expected) =>
        Assert.Equal(expected, PrivateAddresses.IsPrivateHost(new Uri(url)));
}
