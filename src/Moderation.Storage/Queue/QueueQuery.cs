using System.Text;
using System.Text.Json;

namespace Moderation.Storage.Queue;

public enum QueueSort { Priority, Newest, Oldest }

/// <summary>Where the previous page ended: its last row's flagged time (or decided order key), priority and id.</summary>
public sealed record QueueCursor(string Key, string CommentId, double Priority = 0)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static QueueCursor? TryDecode(string? s)
    {
        if (string.IsNullOrEmpty(s) || s.Length > 1024) return null;
        try
        {
            var b64 = s.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var cursor = JsonSerializer.Deserialize<QueueCursor>(Convert.FromBase64String(b64));
            return cursor is { Key: not null, CommentId: not null } ? cursor : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}

public sealed record QueueQuery(string State, string? Reason, string? ArticleId, QueueSort Sort, int Limit, QueueCursor? After);
