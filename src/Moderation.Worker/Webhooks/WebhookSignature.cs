using System.Security.Cryptography;
using System.Text;

namespace Moderation.Worker.Webhooks;

/// <summary>
/// <c>X-Moderation-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>, with the
/// timestamp (Unix seconds) in <c>X-Moderation-Timestamp</c>, so a receiver can reject replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Moderation-Signature";
    public const string TimestampHeader = "X-Moderation-Timestamp";
    public const string EventHeader = "X-Moderation-Event";
    public const string DeliveryHeader = "X-Moderation-Delivery";

    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();

    public static bool Verify(string secret, long timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
