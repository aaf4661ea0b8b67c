using System.Text.Json;

namespace Moderation.Storage;

/// <summary>How JSON columns (reasons, audit details) are written: camelCase, like the API.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
