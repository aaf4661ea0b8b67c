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

        // Not validated again: the only writer of these columns is this service's JsonSerializer (QueueRepository.FlagSql
        // and the decision insert), so a page of 200 entries is not parsed once more on its way out.
        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}
