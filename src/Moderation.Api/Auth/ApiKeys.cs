using System.Security.Cryptography;
using System.Text;

namespace Moderation.Api.Auth;

/// <summary>Making and hashing API keys. A key is 256 random bits; only its SHA-256 is stored.</summary>
public static class ApiKeys
{
    public static string NewKey() => "mk_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewKeyId() => "key_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexString(Hash(key));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
