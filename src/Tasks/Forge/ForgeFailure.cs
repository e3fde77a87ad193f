using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// A failed API answer as the coded error that names what to fix: 401 the token (GITOPS125), 403 the scope or
/// permission the forge says is missing (GITOPS126), 404 the repository or branch (GITOPS127), 400/409/422 what was
/// invalid (GITOPS128), anything else GITOPS130. The forge's own message is kept, cut to one line.
/// </summary>
internal static class ForgeFailure
{
    private const int MessageLimit = 400;

    public static GitOpsException From(ForgeHttp http, HttpStatusCode status, HttpHeaders headers, string? body, string operation, string? branch) =>
        From(http, status, name => ForgeHttp.RateLimit.Header(headers, name), headers.TryGetValues("WWW-Authenticate", out var challenges) ? [.. challenges] : [],
            body, operation, branch);

    /// <summary>The same from a library's view of the answer (Octokit's IResponse): headers by name.</summary>
    public static GitOpsException From(ForgeHttp http, HttpStatusCode status, Func<string, string?> header, IReadOnlyList<string> challenges,
        string? body, string operation, string? branch)
    {
        var repository = http.Repository;
        var message = MessageOf(body) ?? $"{(int)status} {status}";
        return (int)status switch
        {
            401 => new GitOpsException(Errors.ForgeAuthenticationFailed, repository.Kind, http.DisplayApi, operation, message),
            403 => new GitOpsException(Errors.ForgePermissionDenied, repository.Kind, http.DisplayApi, operation, message,
                MissingPermission(repository.Kind, header, challenges, body, operation)),
            404 => new GitOpsException(Errors.ForgeNotFound, repository.Kind, http.DisplayApi, operation, repository.FullName, branch ?? "(default)"),
            400 or 409 or 422 => new GitOpsException(Errors.ForgeValidationFailed, repository.Kind, http.DisplayApi, operation, (int)status, message),
            _ => new GitOpsException(Errors.ForgeRequestFailed, repository.Kind, http.DisplayApi, operation, $"{(int)status} {status}: {message}"),
        };
    }

    /// <summary>What the forge says the token lacks: GitHub's X-Accepted-OAuth-Scopes / X-Accepted-GitHub-Permissions, GitLab's insufficient_scope.</summary>
    internal static string MissingPermission(ForgeKind kind, Func<string, string?> header, IReadOnlyList<string> challenges, string? body, string operation)
    {
        if (header("X-Accepted-GitHub-Permissions") is { Length: > 0 } permissions)
            return $"the permission {permissions} (fine-grained token or GitHub App)";
        if (header("X-Accepted-OAuth-Scopes") is { Length: > 0 } scopes)
        {
            var has = header("X-OAuth-Scopes");
            return $"the scope {scopes} (it has: {(string.IsNullOrEmpty(has) ? "none" : has)})";
        }
        if (challenges.Select(ScopeInChallenge).FirstOrDefault(scope => scope is not null) is { } challenged)
            return $"the scope {challenged}";
        if (Property(body, "scope") is { } scope)
            return $"the scope {scope}";
        return kind switch
        {
            ForgeKind.GitHub => "write access to pull requests and contents (classic token: repo scope; fine-grained: Pull requests and Contents read and write)",
            ForgeKind.GitLab => "the api scope and at least the Developer role",
            ForgeKind.AzureDevOps => "Code (Read & Write) and the Contribute to pull requests permission",
            ForgeKind.Bitbucket => "the pullrequest:write scope",
            _ => "write access to the repository and its pull requests",
        } + $" for {operation}";
    }

    private static string? ScopeInChallenge(string challenge)
    {
        var at = challenge.IndexOf("scope=\"", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        var start = at + "scope=\"".Length;
        var end = challenge.IndexOf('"', start);
        return end > start ? challenge[start..end] : null;
    }

    /// <summary>The forge's message in its error body: message, error_description, error (text or {message}), errors[].</summary>
    internal static string? MessageOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var parts = new List<string>();
            Collect(document.RootElement, parts, depth: 0);
            return parts.Count == 0 ? null : OneLine(string.Join("; ", parts.Distinct()));
        }
        catch (JsonException)
        {
            return OneLine(body);
        }
    }

    private static void Collect(JsonElement element, List<string> parts, int depth)
    {
        if (depth > 3) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                parts.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray().Take(5))
                    Collect(item, parts, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var name in new[] { "message", "error_description", "error", "errors", "code", "field" })
                {
                    if (element.TryGetProperty(name, out var value) && !(name is "code" or "field" && parts.Count > 0 && depth == 0))
                        Collect(value, parts, depth + 1);
                }
                break;
        }
    }

    private static string? Property(string? body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                   && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= MessageLimit ? line : line[..MessageLimit] + "…";
    }
}
