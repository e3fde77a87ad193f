using GitOps.Build.Diagnostics;

namespace GitOps.Build.Verdict.ArgoCd;

/// <summary>An application GitOpsArgoCdApplications names: "name" or "project/name".</summary>
internal sealed record ArgoCdApplicationName(string? Project, string Name)
{
    public override string ToString() => Project is null ? Name : $"{Project}/{Name}";
}

/// <summary>
/// Where Argo CD is and what to watch: GITOPS_ARGOCD_SERVER (a URL; a bare host[:port] means https) and
/// GITOPS_ARGOCD_TOKEN (a bearer token, read here from the environment and sent only to that server), and the
/// applications of GitOpsArgoCdApplications.
/// </summary>
internal sealed record ArgoCdSettings(Uri Server, string Token, IReadOnlyList<ArgoCdApplicationName> Applications, bool Refresh)
{
    /// <summary>Scrubbed from every message (<see cref="SecretValues"/>).</summary>
    public string Token { get; init; } = SecretValues.Register(Token);

    public const string ServerVariable = "GITOPS_ARGOCD_SERVER";
    /// <summary>In the secrets catalogue: never given to a child process.</summary>
    public const string TokenVariable = SecretVariables.ArgoCdToken;

    /// <summary>Null when no application is named (Argo CD is not a source); otherwise the settings, or the coded error.</summary>
    public static ArgoCdSettings? From(string? applications, bool refresh, Func<string, string?> getVariable) =>
        From(ParseApplications(applications), refresh, getVariable);

    /// <summary>The same, for applications parsed already (<see cref="ParseApplications"/>).</summary>
    public static ArgoCdSettings? From(IReadOnlyList<ArgoCdApplicationName> names, bool refresh, Func<string, string?> getVariable)
    {
        if (names.Count == 0)
            return null;
        var server = getVariable(ServerVariable)?.Trim();
        if (string.IsNullOrEmpty(server))
            throw new GitOpsException(Errors.ArgoCdSettingsMissing, ServerVariable);
        // A NUL or line break inside would be refused by the HTTP stack at the first request, with a stack trace.
        var token = TextRule.RejectControlCharacters(getVariable(TokenVariable)?.Trim(), "The environment variable " + TokenVariable);
        if (string.IsNullOrEmpty(token))
            throw new GitOpsException(Errors.ArgoCdSettingsMissing, TokenVariable);
        return new ArgoCdSettings(ParseServer(server), token, names, refresh);
    }

    /// <summary>"https://argocd.example.com[/path]", or "host[:port]" for https; the root ends with '/'.</summary>
    public static Uri ParseServer(string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
            throw new GitOpsException(Errors.ArgoCdServerInvalid, UrlRedactor.Redact(value));
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public static IReadOnlyList<ArgoCdApplicationName> ParseApplications(string? value)
    {
        var names = new List<ArgoCdApplicationName>();
        foreach (var raw in (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('/');
            if (parts.Length > 2 || parts.Any(part => !IsName(part)))
                throw new GitOpsException(Errors.ArgoCdApplicationInvalid, raw);
            names.Add(parts.Length == 2 ? new ArgoCdApplicationName(parts[0], parts[1]) : new ArgoCdApplicationName(null, parts[0]));
        }
        return names;
    }

    // Kubernetes object names (DNS subdomain): lower-case letters, digits, '-' and '.'.
    private static bool IsName(string part) =>
        part.Length is > 0 and <= 253 && part.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"ArgoCdSettings {{ Server = {Server}, Token = ***, Applications = {string.Join(";", Applications)} }}";
}
