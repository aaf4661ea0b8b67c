using System.Security.Cryptography;
using System.Text;

namespace Moderation.Worker.Webhooks;

/// <summary>
/// <c>X-Moderation-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + deliveryId + "." + body))</c>, with
/// the timestamp (Unix seconds) in <c>X-Moderation-Timestamp</c> and the id in <c>X-Moderation-Delivery</c>.
/// The id is signed so a captured delivery cannot be replayed under a fresh id past a receiver's duplicate
/// check; the timestamp is signed so a receiver can refuse one older than <see cref="Tolerance"/>.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Moderation-Signature";
    public const string TimestampHeader = "X-Moderation-Timestamp";
    public const string EventHeader = "X-Moderation-Event";
    public const string DeliveryHeader = "X-Moderation-Delivery";

    /// <summary>How far a receiver should let the timestamp be from its own clock (docs/SECURITY.md).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string deliveryId, long timestamp, string body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{deliveryId}.{body}"))).ToLowerInvariant();

    /// <summary>What a receiver checks: the signature over id, timestamp and body, and a timestamp within ±<see cref="Tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string deliveryId, long timestamp, string body, string signature, DateTimeOffset now) =>
        Math.Abs(now.ToUnixTimeSeconds() - timestamp) <= Tolerance.TotalSeconds &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, deliveryId, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
