namespace Serverless.Chain;

/// <summary>Settings under "Chain" (app settings / env: Chain__Name, Chain__Llm__Name).</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    public LlmOptions Llm { get; set; } = new();
    /// <summary>How many factors the explain step returns.</summary>
    public int MaxFactors { get; set; } = 3;
    /// <summary>How many records of one batch run at once.</summary>
    public int BatchConcurrency { get; set; } = Environment.ProcessorCount;
    public int MaxBatchItems { get; set; } = 1000;
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>How much of a question is read; a warning says when the rest was not (questions are a sentence or two).</summary>
    public int MaxQuestionChars { get; set; } = 2000;
}

public sealed class LlmOptions
{
    /// <summary>none | openai | azure-openai | openai-compatible</summary>
    public string Provider { get; set; } = LlmProviders.None;
    /// <summary>Model name (openai, openai-compatible) or deployment name (azure-openai).</summary>
    public string? Model { get; set; }
    /// <summary>Azure OpenAI resource URL, or the base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1).</summary>
    public string? Endpoint { get; set; }
    /// <summary>Required for openai; for azure-openai an empty key means Entra ID (managed identity, az login).</summary>
    public string? ApiKey { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Offer the model to the LLM as a what-if tool; turn off for servers without tool calling.</summary>
    public bool UseTools { get; set; } = true;
    /// <summary>Have the LLM read questions into records (the offline reader checks it and stands in when it fails).</summary>
    public bool ReadQuestions { get; set; } = true;
}

public static class LlmProviders
{
    public const string None = "none";
    public const string OpenAi = "openai";
    public const string AzureOpenAi = "azure-openai";
    public const string OpenAiCompatible = "openai-compatible";
}
