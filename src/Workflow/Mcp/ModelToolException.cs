using ModelContextProtocol;

namespace Serverless.Workflow.Mcp;

/// <summary>
/// A tool call that cannot be answered (unknown dataset, no champion yet, input that does not fit, unknown run). An
/// <see cref="McpException"/>, so the MCP server sends its message to the agent as a tool error instead of a generic one;
/// in process it reaches the caller (FunctionInvokingChatClient passes it on with IncludeDetailedErrors).
/// </summary>
public sealed class ModelToolException(string message) : McpException(message);
