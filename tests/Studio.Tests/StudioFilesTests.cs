using Microsoft.AspNetCore.Http;

namespace Serverless.Studio.Tests;

/// <summary>
/// How both hosts hand out the Studio's files: the local host at /, the Functions app under /api/studio/ (which the
/// browser tests, run against the local host, do not reach).
/// </summary>
public sealed class StudioFilesTests
{
    private static readonly StudioFiles Files = new();

    private static async Task<HttpResponse> ServeAsync(string requestPath, string? path, string? ifNoneMatch = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = requestPath;
        if (ifNoneMatch is not null) http.Request.Headers.IfNoneMatch = ifNoneMatch;
        http.Response.Body = new MemoryStream();
        await Files.ServeAsync(http, path);
        return http.Response;
    }

    private static string Body(HttpResponse response)
    {
        response.Body.Position = 0;
        return new StreamReader(response.Body).ReadToEnd();
    }

    [Fact]
    public void Every_file_of_the_page_is_embedded()
    {
        var root = Path.Combine(RepoRoot(), "src", "Studio", "wwwroot");
        var onDisk = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order();
        Assert.Equal(onDisk, Files.Paths.Order());
    }

    [Theory]
    [InlineData("/", null, "text/html; charset=utf-8", "<!doctype html>")]
    [InlineData("/api/studio/", null, "text/html; charset=utf-8", "<!doctype html>")]
    [InlineData("/api/studio/js/main.js", "js/main.js", "text/javascript; charset=utf-8", "import")]
    [InlineData("/studio.css", "studio.css", "text/css; charset=utf-8", ":root")]
    public async Task A_file_is_served_with_its_type_and_a_policy_that_keeps_the_page_to_its_own_origin(
        string requestPath, string? path, string type, string start)
    {
        var response = await ServeAsync(requestPath, path);

        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.Equal(type, response.ContentType);
        Assert.Contains(start, Body(response));
        Assert.StartsWith("default-src 'self'", response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task The_functions_prefix_without_its_slash_redirects_so_that_relative_links_resolve_under_it()
    {
        var response = await ServeAsync("/api/studio", null);

        Assert.Equal(StatusCodes.Status302Found, response.StatusCode);
        Assert.Equal("/api/studio/", response.Headers.Location.ToString());
    }

    [Fact]
    public async Task A_file_the_browser_has_is_not_sent_again_until_it_changes()
    {
        var first = await ServeAsync("/js/api.js", "js/api.js");
        var again = await ServeAsync("/js/api.js", "js/api.js", ifNoneMatch: first.Headers.ETag);
        var other = await ServeAsync("/js/dom.js", "js/dom.js", ifNoneMatch: first.Headers.ETag);

        Assert.Equal(StatusCodes.Status304NotModified, again.StatusCode);
        Assert.Equal("", Body(again));
        Assert.Equal(StatusCodes.Status200OK, other.StatusCode);
    }

    [Theory]
    [InlineData("missing.js")]
    [InlineData("../Studio.csproj")]
    [InlineData("js")]
    public async Task Anything_but_the_page_s_files_is_not_found(string path) =>
        Assert.Equal(StatusCodes.Status404NotFound, (await ServeAsync("/" + path, path)).StatusCode);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Serverless.sln not found above the test output folder.");
    }
}
