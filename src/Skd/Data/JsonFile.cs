using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Skd.Data;

/// <summary>
/// The one way the toolkit reads JSON (dataset.json, palette.json, splits.json, config files,
/// metrics documents, run logs, the metadata of model files and checkpoints): whatever is wrong is
/// a <see cref="DataFormatException"/> of the form "FILE: field 'a.b[2]' is a string: expected a
/// number" (or "... is missing: expected ..."), never a KeyNotFoundException or a serializer's
/// message. Documents are read field by field through <see cref="JsonField"/>; records through
/// <see cref="Deserialize{T}"/>, whose System.Text.Json errors are put in the same form.
/// </summary>
public static partial class JsonFile
{
    /// <summary>Parses the file at <paramref name="path"/> and reads it through its root field.</summary>
    public static T Read<T>(string path, Func<JsonField, T> read)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        return Parse(File.ReadAllText(path), path, read);
    }

    /// <summary>Parses <paramref name="json"/>, which <paramref name="source"/> names in messages, and reads it through its root field.</summary>
    public static T Parse<T>(string json, string source, Func<JsonField, T> read)
    {
        using var document = Document(json, source);
        return read(new JsonField(source, "", document.RootElement));
    }

    /// <summary>A JSON object from a file, to be merged with other options before it is deserialized.</summary>
    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw Syntax(e, path);
        }
        return node as JsonObject ?? throw new DataFormatException($"{path}: the document is not a JSON object: expected {{\"name\": value, ...}}");
    }

    /// <summary>
    /// Deserializes a record; a missing required field, a field the record does not have, or a value
    /// of the wrong type is a <see cref="DataFormatException"/> naming <paramref name="source"/>, the
    /// field, what was expected and what the document holds.
    /// </summary>
    public static T Deserialize<T>(string json, string source, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw new DataFormatException($"{source}: the document is null: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"{source}: {Describe(e, json, options)}");
        }
    }

    private static JsonDocument Document(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Syntax(e, source);
        }
    }

    private static DataFormatException Syntax(JsonException e, string source) =>
        new($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {Reason(e)}");

    /// <summary>A serializer's complaint in words: which field, what it expected, what it got.</summary>
    private static string Describe(JsonException e, string json, JsonSerializerOptions options)
    {
        if (e.InnerException is JsonException) return Syntax(e, "").Message[2..];   // the reader's: not JSON at all
        if (MissingPattern().Match(e.Message) is { Success: true } missing)
            return $"field '{missing.Groups[1].Value}' is missing: expected a value for it";
        if (UnknownPattern().Match(e.Message) is { Success: true } unknown)
            return $"field '{unknown.Groups[1].Value}' is not a field of this file";
        string field = e.Path is null or "$" ? "the document" : $"field '{e.Path.TrimStart('$', '.')}'";
        if (ConvertPattern().Match(e.Message) is not { Success: true } convert)
            return e.Path is null ? Syntax(e, "").Message[2..] : $"{field}: {Reason(e)}";
        return $"{field} is {Got(json, e.Path)}: expected {Expected(convert.Groups[1].Value, options)}";
    }

    private static string Reason(JsonException e) => e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd(' ', '|');

    /// <summary>What a .NET type name the serializer names means in a JSON document.</summary>
    private static string Expected(string typeName, JsonSerializerOptions options)
    {
        string name = typeName.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? typeName[18..^1] : typeName;
        if (AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null) is { IsEnum: true } enumType)
            return JsonField.OneOf(enumType, options.PropertyNamingPolicy);
        return name switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            _ when name.Contains("List", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ => "an object",
        };
    }

    /// <summary>The kind and text of the value at a serializer's path ("$.a.b[2]"), as far as it can be found.</summary>
    private static string Got(string json, string? path)
    {
        try
        {
            var node = JsonNode.Parse(json);
            foreach (Match step in StepPattern().Matches(path ?? ""))
                node = step.Groups[1].Success ? node?[step.Groups[1].Value] : node?[int.Parse(step.Groups[2].Value)];
            return node is null ? "null" : JsonField.Describe(node.GetValueKind(), node.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return "of the wrong type";
        }
    }

    [GeneratedRegex(@"missing required properties including: '([^']+)'")]
    private static partial Regex MissingPattern();
    [GeneratedRegex(@"The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownPattern();
    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.? Path:")]
    private static partial Regex ConvertPattern();
    [GeneratedRegex(@"\.([^.\[]+)|\[(\d+)\]")]
    private static partial Regex StepPattern();
}

/// <summary>
/// A field of a JSON document read by <see cref="JsonFile"/>: typed accessors that name the file,
/// the field's path and what was expected when the document holds something else.
/// </summary>
public readonly struct JsonField
{
    private readonly string source;

    internal JsonField(string source, string path, JsonElement element)
    {
        this.source = source;
        Path = path;
        Element = element;
    }

    /// <summary>The field's place in the document: "labels.liver", "classes[2].color"; "" for the root.</summary>
    public string Path { get; }
    public JsonElement Element { get; }
    public JsonValueKind Kind => Element.ValueKind;

    /// <summary>The error "FILE: field 'x' is a string: expected <paramref name="expected"/>", to throw.</summary>
    public DataFormatException Error(string expected) =>
        new($"{source}: {(Path == "" ? "the document" : $"field '{Path}'")} is {Describe(Kind, Element.GetRawText())}: expected {expected}");

    /// <summary>The member <paramref name="name"/>; missing: "FILE: field 'x' is missing: expected <paramref name="expected"/>".</summary>
    public JsonField Required(string name, string expected)
    {
        if (Kind != JsonValueKind.Object) throw Error("an object");
        return Element.TryGetProperty(name, out var value)
            ? new JsonField(source, Join(name), value)
            : throw new DataFormatException($"{source}: field '{Join(name)}' is missing: expected {expected}");
    }

    /// <summary>The member <paramref name="name"/>, or null when it is absent or null.</summary>
    public JsonField? Optional(string name)
    {
        if (Kind != JsonValueKind.Object) throw Error("an object");
        return Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? new JsonField(source, Join(name), value) : null;
    }

    public string String() => Kind == JsonValueKind.String ? Element.GetString()! : throw Error("a string");

    public int Int32() => Kind == JsonValueKind.Number && Element.TryGetInt32(out int v) ? v : throw Error("a whole number");

    public byte Byte() => Kind == JsonValueKind.Number && Element.TryGetByte(out byte v) ? v : throw Error("a whole number from 0 to 255");

    /// <summary>A number; JSON null reads as NaN (how the toolkit writes an undefined metric).</summary>
    public double Number() => Kind switch
    {
        JsonValueKind.Number => Element.GetDouble(),
        JsonValueKind.Null => double.NaN,
        _ => throw Error("a number or null"),
    };

    /// <summary>An enum value written as its name under <paramref name="naming"/> (snake_case for the toolkit's files).</summary>
    public T Enum<T>(JsonNamingPolicy? naming) where T : struct, Enum
    {
        string text = String();
        foreach (var value in System.Enum.GetValues<T>())
            if ((naming?.ConvertName(value.ToString()) ?? value.ToString()) == text) return value;
        throw Error(OneOf(typeof(T), naming));
    }

    /// <summary>"one of \"a\", \"b\"": the names of an enum's values as a file writes them.</summary>
    internal static string OneOf(Type enumType, JsonNamingPolicy? naming) =>
        $"one of {string.Join(", ", System.Enum.GetNames(enumType).Select(n => $"\"{naming?.ConvertName(n) ?? n}\""))}";

    public IEnumerable<JsonField> Items()
    {
        if (Kind != JsonValueKind.Array) throw Error("a list");
        var (source, path) = (this.source, Path);
        return Element.EnumerateArray().Select((item, i) => new JsonField(source, $"{path}[{i}]", item)).ToList();
    }

    public IEnumerable<(string Name, JsonField Value)> Properties()
    {
        if (Kind != JsonValueKind.Object) throw Error("an object");
        var field = this;
        return Element.EnumerateObject().Select(p => (p.Name, new JsonField(field.source, field.Join(p.Name), p.Value))).ToList();
    }

    private string Join(string name) => Path == "" ? name : $"{Path}.{name}";

    /// <summary>"a string (\"abc\")", "a number (3)", "an object", ...: what a value is, for messages.</summary>
    internal static string Describe(JsonValueKind kind, string raw) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"a string ({Short(raw)})",
        JsonValueKind.Number => $"a number ({Short(raw)})",
        JsonValueKind.True or JsonValueKind.False => $"{raw}",
        _ => "null",
    };

    private static string Short(string raw) => raw.Length <= 40 ? raw : raw[..37] + "...";
}
