namespace GitOps.Build.Diagnostics;

/// <summary>
/// The one catalogue of environment variables GitOps.Build treats as secret. Task code reads them by these names, and
/// every child process (ssh, ssh -O exit, ssh-keygen, gpg, gpgconf and the gpg-agent it starts) starts without them:
/// see <see cref="ChildProcess"/>. A proxy variable is secret when its URL carries a user name and password.
/// </summary>
internal static class SecretVariables
{
    public const string Token = "GITOPS_TOKEN";
    public const string ForgeToken = "GITOPS_FORGE_TOKEN";
    public const string SshKey = "GITOPS_SSH_KEY";
    public const string SigningKey = "GITOPS_SIGNING_KEY";
    public const string SigningPassphrase = "GITOPS_SIGNING_PASSPHRASE";
    public const string GitHubAppPrivateKey = "GITOPS_GITHUB_APP_PRIVATE_KEY";
    public const string ArgoCdToken = "GITOPS_ARGOCD_TOKEN";

    /// <summary>Secret whatever their value.</summary>
    public static readonly IReadOnlyList<string> Names = [Token, ForgeToken, SshKey, SigningKey, SigningPassphrase, GitHubAppPrivateKey, ArgoCdToken];

    /// <summary>Secret when their value carries credentials (user:password@host), as curl and git read them; any case.</summary>
    public static readonly IReadOnlyList<string> ProxyNames = ["http_proxy", "https_proxy", "all_proxy"];

    public static bool IsSecret(string name, string? value) =>
        Names.Contains(name, StringComparer.Ordinal)
        || (ProxyNames.Contains(name, StringComparer.OrdinalIgnoreCase) && value?.Contains('@', StringComparison.Ordinal) == true);

    /// <summary>Removes every secret from a child's environment (a copy of this process's, as ProcessStartInfo holds it).</summary>
    public static void RemoveFrom(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment.ToList())
            if (IsSecret(name, value))
                environment.Remove(name);
    }
}
