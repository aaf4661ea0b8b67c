using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderation.Api.Hosting;

/// <summary>
/// JSON this service wrote itself (a queue entry's reasons), put into a response as it is stored: a queue page
/// of 50 entries with their evidence no longer parses and re-serialises every reason per request.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Json)
{
    sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            return new RawJson(doc.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: false);
    }
}
