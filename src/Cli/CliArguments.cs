using Serverless.AutoMl;

namespace Serverless.Cli;

/// <summary>"verb --name value --flag" arguments.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    private CliArguments(string verb) => Verb = verb;

    public string Verb { get; }

    public static CliArguments Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("Missing verb.");
        var parsed = new CliArguments(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._options[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return parsed;
    }

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Text(string name) => _options.GetValueOrDefault(name);

    public string Required(string name) => Text(name) ?? throw new ArgumentException($"--{name} is required.");

    public int? Number(string name) => Text(name) is { } text
        ? int.TryParse(text, out var n) ? n : throw new ArgumentException($"--{name} must be a whole number.")
        : null;

    /// <summary>The training spec options: --label, --task, --metric, --budget-seconds, --seed, --parallel-trials.</summary>
    public TrainingSpec Spec() => new()
    {
        Label = Text("label"), Task = Choice<MlTask>("task"), Metric = Text("metric"),
        BudgetSeconds = Number("budget-seconds"), Seed = Number("seed"), ParallelTrials = Number("parallel-trials"),
    };

    public T? Choice<T>(string name) where T : struct, Enum => Text(name) is { } text
        ? Enum.TryParse<T>(text, ignoreCase: true, out var value) ? value : throw new ArgumentException($"--{name}: unknown value '{text}'.")
        : null;
}
