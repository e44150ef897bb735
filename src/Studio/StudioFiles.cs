using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Serverless.Studio;

/// <summary>
/// The Studio's files (src/Studio/wwwroot, embedded at build time), as both hosts serve them: the local host at /, the
/// Functions app at /api/studio/. The page calls only the public /api routes of the origin it came from. Each file
/// carries its content hash as ETag and is revalidated on every load, so a new deployment is seen at once.
/// </summary>
public sealed class StudioFiles
{
    private const string ResourcePrefix = "studio/";
    private const string IndexFile = "index.html";
    /// <summary>The page runs only its own scripts and styles and talks only to its own origin.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private readonly FrozenDictionary<string, StudioFile> _files;

    public StudioFiles()
    {
        var assembly = typeof(StudioFiles).Assembly;
        var types = new FileExtensionContentTypeProvider();
        _files = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[ResourcePrefix.Length..].Replace('\\', '/'), name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
                return new StudioFile(content, type.StartsWith("text/", StringComparison.Ordinal) ? type + "; charset=utf-8" : type,
                    $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
            });
    }

    /// <summary>The files' paths relative to the Studio's root (index.html, app.js, ...).</summary>
    public IReadOnlyCollection<string> Paths => _files.Keys;

    /// <summary>
    /// Writes the file at <paramref name="path"/> (relative to the Studio's root; empty for the page itself). The root
    /// without its trailing slash is redirected to it, so the page's relative links resolve under any prefix.
    /// </summary>
    public Task ServeAsync(HttpContext http, string? path)
    {
        var request = http.Request;
        var response = http.Response;
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
        {
            response.Redirect($"{request.PathBase}{request.Path}/{request.QueryString}");
            return Task.CompletedTask;
        }
        if (!_files.TryGetValue(string.IsNullOrEmpty(path) ? IndexFile : path, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (request.Headers.IfNoneMatch == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        return response.Body.WriteAsync(file.Content, http.RequestAborted).AsTask();
    }

    private sealed record StudioFile(byte[] Content, string ContentType, string ETag);
}
