using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scorecard.Data.Common;

/// <summary>Reads and writes an enum in JSON as its stored snake_case name (see <see cref="DbEnum"/>).</summary>
public sealed class DbEnumJsonConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DbEnum.TryParse<T>(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"Expected one of {string.Join(", ", DbEnum.All<T>().ToDb())} for {typeof(T).Name}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToDb());
}
