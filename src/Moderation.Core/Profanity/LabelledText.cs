using System.Text.Json;

namespace Moderation.Core.Profanity;

/// <summary>One labelled example: {"text": ..., "profane": bool, "kind": ...}.</summary>
public sealed record LabelledText(string Text, bool Profane, string? Kind = null)
{
    /// <summary>
    /// Read a JSONL file, lazily. Lines that are blank, malformed or lack text/profane are skipped, because
    /// training files may be appended to while we read them.
    /// </summary>
    public static IEnumerable<LabelledText> ReadJsonl(TrainingFile file)
    {
        foreach (var line in file.Lines())
        {
            var row = ParseLine(line);
            if (row != null) yield return row;
        }
    }

    public static LabelledText? ParseLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String) return null;
            if (!root.TryGetProperty("profane", out var p) || p.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return null;
            string? kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            return new LabelledText(t.GetString() ?? "", p.GetBoolean(), kind);
        }
        catch (JsonException) { return null; }
    }
}
