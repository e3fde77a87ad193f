using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// How to reach an SSH config repository: the private key and known hosts from the environment (each a path or the
/// content itself, as CI secrets hold them). Without them ssh uses the user's own ~/.ssh and ssh-agent, as plain git.
/// </summary>
internal sealed record SshSettings
{
    public const string KnownHostsVariable = "GITOPS_SSH_KNOWN_HOSTS";

    /// <summary>GITOPS_SSH_KEY: a private key file's path, or the key itself (starts with -----BEGIN).</summary>
    public string? Key { get; init; }

    /// <summary>GITOPS_SSH_KNOWN_HOSTS: a known_hosts file's path, or its lines.</summary>
    public string? KnownHosts { get; init; }

    /// <summary>The OpenSSH client to run; a test seam for the case where it is missing.</summary>
    internal string Program { get; init; } = "ssh";

    public static SshSettings FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return new SshSettings { Key = Blank(getVariable(SecretVariables.SshKey)), KnownHosts = Blank(getVariable(KnownHostsVariable)) };
    }

    /// <summary>Never prints the key: records print every property, and these end up in logs.</summary>
    public override string ToString() => $"SshSettings {{ Key = {(Key is null ? "none" : "***")}, KnownHosts = {(KnownHosts is null ? "default" : "set")} }}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
