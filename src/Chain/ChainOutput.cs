using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>What the chain answers: the model's prediction, why, in words, and what it had to assume.</summary>
public sealed record ChainOutput
{
    /// <summary>The predicted class (binary, multiclass) as a string, or the predicted value (regression) as a number.</summary>
    public required object Prediction { get; init; }
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }
    public double? Score { get; init; }
    /// <summary>Why: the raw score of the prediction split into a base value and each column's contribution.</summary>
    public required Contributions Contributions { get; init; }
    public required string Answer { get; init; }
    /// <summary>Columns the input did not fill; the model saw their training defaults.</summary>
    public required IReadOnlyList<string> Assumed { get; init; }
    /// <summary>
    /// What of the input the model did not use: parts of a question nothing was made of ("commutes 10 kilometres"),
    /// or training-file columns the model does not read (the label, constant or id-like columns).
    /// </summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
    /// <summary>Why the answer may be less reliable: values outside what training saw, a question only partly read.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The complete record the model saw.</summary>
    public required IReadOnlyDictionary<string, string?> Inputs { get; init; }
    public required string Dataset { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>The provider that wrote <see cref="Answer"/>: "none" when the template did.</summary>
    public required string Llm { get; init; }
    /// <summary>Why the configured LLM did not write the answer (the template did instead).</summary>
    public string? LlmError { get; init; }
}

/// <summary>One finished step of a chain run, as the stream endpoint reports it.</summary>
public sealed record ChainStep(string Step, object Data);
