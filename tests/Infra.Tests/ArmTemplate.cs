using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Serverless.Infra.Tests;

/// <summary>Read-side helpers over a compiled ARM template: resources, module templates, expressions.</summary>
public static partial class ArmTemplate
{
    /// <summary>Top-level resources; Bicep emits an array, or an object keyed by symbolic name (languageVersion 2.0).</summary>
    public static IEnumerable<JsonObject> Resources(JsonNode template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    public static IEnumerable<JsonObject> OfType(JsonNode template, string type) =>
        Resources(template).Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public static JsonObject Single(JsonNode template, string type)
    {
        var matches = OfType(template, type).ToList();
        Assert.True(matches.Count == 1, $"expected one {type}, found {matches.Count}");
        return matches[0];
    }

    /// <summary>The module deployment named <paramref name="name"/> (the Bicep module's `name`).</summary>
    public static JsonObject Module(JsonNode template, string name)
    {
        var module = OfType(template, "Microsoft.Resources/deployments").SingleOrDefault(d => (string?)d["name"] == name);
        Assert.True(module is not null, $"module deployment '{name}' not found");
        return module;
    }

    public static JsonNode ModuleTemplate(JsonNode template, string name) =>
        Module(template, name)["properties"]!["template"]!;

    /// <summary>
    /// Key/value pairs of an object that is either a JSON object or an ARM expression building it with
    /// createObject(...) calls (what Bicep emits for union/conditional objects). Values are expressions:
    /// literals come back quoted ('x'), expressions without their brackets.
    /// </summary>
    public static Dictionary<string, string> ObjectEntries(JsonNode? node)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    entries[key] = AsExpression(value);
                }

                break;
            case JsonValue value when value.TryGetValue(out string? expression):
                foreach (Match call in CreateObjectCall().Matches(expression))
                {
                    var args = SplitArguments(expression, call.Index + call.Length);
                    for (var i = 0; i + 1 < args.Count; i += 2)
                    {
                        entries[Unquote(args[i])] = args[i + 1];
                    }
                }

                break;
        }

        return entries;
    }

    /// <summary>
    /// Values an expression can take from the template's variables: `variables('x')` or
    /// `variables('x')[copyIndex()]`, following variables that refer to other variables.
    /// </summary>
    public static IEnumerable<string> ResolveVariables(JsonNode template, string expression)
    {
        foreach (Match reference in VariableReference().Matches(expression))
        {
            var variable = template["variables"]?[reference.Groups[1].Value];
            var values = variable is JsonArray array && reference.Groups[2].Success
                ? array.Select(item => (string)item!)
                : variable is JsonValue ? [(string)variable!] : [];
            foreach (var value in values)
            {
                if (value.StartsWith("[variables(", StringComparison.Ordinal))
                {
                    foreach (var inner in ResolveVariables(template, value))
                    {
                        yield return inner;
                    }
                }
                else
                {
                    yield return value;
                }
            }
        }
    }

    private static string AsExpression(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out string? s)
            ? s.StartsWith('[') && s.EndsWith(']') ? s[1..^1] : $"'{s.Replace("'", "''")}'"
            : value?.ToJsonString() ?? "null";

    private static string Unquote(string literal) =>
        literal.Length >= 2 && literal[0] == '\'' && literal[^1] == '\''
            ? literal[1..^1].Replace("''", "'")
            : throw new FormatException($"expected a string literal key, got {literal}");

    /// <summary>Top-level arguments of the call whose argument list starts at <paramref name="start"/>.</summary>
    private static List<string> SplitArguments(string expression, int start)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var inString = false;
        for (var i = start; i < expression.Length; i++)
        {
            var c = expression[i];
            if (inString)
            {
                current.Append(c);
                if (c == '\'')
                {
                    // '' is an escaped quote inside an ARM string literal.
                    if (i + 1 < expression.Length && expression[i + 1] == '\'')
                    {
                        current.Append(expression[++i]);
                    }
                    else
                    {
                        inString = false;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    inString = true;
                    current.Append(c);
                    break;
                case '(' or '[':
                    depth++;
                    current.Append(c);
                    break;
                case ')' or ']' when depth == 0:
                    if (current.ToString().Trim() is { Length: > 0 } last)
                    {
                        args.Add(last);
                    }

                    return args;
                case ')' or ']':
                    depth--;
                    current.Append(c);
                    break;
                case ',' when depth == 0:
                    args.Add(current.ToString().Trim());
                    current.Clear();
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        throw new FormatException($"unbalanced expression: {expression}");
    }

    [GeneratedRegex(@"\bcreateObject\(")]
    private static partial Regex CreateObjectCall();

    [GeneratedRegex(@"variables\('([^']+)'\)(\[copyIndex\(\)\])?")]
    private static partial Regex VariableReference();
}
