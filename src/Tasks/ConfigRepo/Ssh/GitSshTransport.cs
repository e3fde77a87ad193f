using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// Git over SSH for libgit2 through the system's OpenSSH client, run by us instead of libgit2's exec backend, because:
/// every wait honours the writer's deadline and Ctrl+C (ssh is killed then); ssh's stderr becomes the coded error's
/// detail (libgit2 drops it); and the key and known_hosts reach ssh as arguments of this one process, with no
/// process-wide GIT_SSH_COMMAND (which .NET could not set for libgit2 anyway: Environment.SetEnvironmentVariable does
/// not change the native environment).
/// </summary>
internal static class GitSshTransport
{
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes libgit2 use <see cref="GitSshSubtransport"/> for ssh:// (and scp-style) URLs, once per process.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    private static bool Register()
    {
        // libgit2 routes scp-style "user@host:path" to whatever handles "ssh://".
        foreach (var scheme in SshAddress.Schemes)
            GlobalSettings.RegisterSmartSubtransport<GitSshSubtransport>(scheme);
        return true;
    }
}
