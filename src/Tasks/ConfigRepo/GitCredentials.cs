using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>HTTP basic credentials for the config repository: a user name and a token used as the password.</summary>
internal sealed record GitCredentials(string Username, string Token)
{
    /// <summary>Scrubbed from every message (<see cref="SecretValues"/>).</summary>
    public string Token { get; init; } = SecretValues.Register(Token);

    /// <summary>GitHub and most forges accept any user name with a token; this one documents what it is.</summary>
    public const string DefaultUsername = "x-access-token";

    /// <summary>Reads GITOPS_TOKEN and GITOPS_USERNAME; null when no token is set (anonymous access).</summary>
    /// <exception cref="GitOpsException">GITOPS116: a user name with ':', which basic authentication would split.</exception>
    public static GitCredentials? FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        // Tokens pasted into CI secrets often carry a trailing newline.
        var token = getVariable("GITOPS_TOKEN")?.Trim();
        if (string.IsNullOrEmpty(token))
            return null;

        var username = getVariable("GITOPS_USERNAME")?.Trim();
        if (username?.Contains(':', StringComparison.Ordinal) == true)
            throw new GitOpsException(Errors.GitUsernameInvalid);
        return new GitCredentials(string.IsNullOrEmpty(username) ? DefaultUsername : username, token);
    }

    /// <summary>Never prints the token: records print every property by default, and these end up in logs.</summary>
    public override string ToString() => $"GitCredentials {{ Username = {Username}, Token = *** }}";
}
