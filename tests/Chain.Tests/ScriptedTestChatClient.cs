using Microsoft.Extensions.AI;

namespace Serverless.Chain.Tests;

/// <summary>
/// A test IChatClient: no hosted LLM can run on this machine (no network, no model weights), so the LLM path is tested
/// against scripted replies. It records every message list it receives, and the options sent with it.
/// </summary>
public sealed class ScriptedTestChatClient(params Func<IReadOnlyList<ChatMessage>, ChatResponse>[] replies) : IChatClient
{
    private int _calls;

    public List<IReadOnlyList<ChatMessage>> Received { get; } = [];
    public List<ChatOptions?> ReceivedOptions { get; } = [];

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    public static ChatResponse ToolCall(string name, IDictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", name, arguments)]));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Received.Add(list);
        ReceivedOptions.Add(options);
        var reply = replies[Math.Min(Interlocked.Increment(ref _calls) - 1, replies.Length - 1)];
        return Task.FromResult(reply(list));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The chain does not stream from the LLM.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
