using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Chain.Http;

/// <summary>Reads a JSON body of bounded size; a bad body comes back as the problem to answer with.</summary>
internal static class RequestBody
{
    public sealed record Parsed(JsonElement Json, IResult? Problem);

    public static async Task<Parsed> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return Fail(ChainProblems.TooLarge(maxBytes));
        // Chunked bodies carry no length: count while reading, one byte past the limit is enough to refuse.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return Fail(ChainProblems.TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return new Parsed(document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return Fail(ChainProblems.MalformedJson(e.Message));
        }
    }

    private static Parsed Fail(Microsoft.AspNetCore.Mvc.ProblemDetails problem) => new(default, ChainProblems.Result(problem));
}
