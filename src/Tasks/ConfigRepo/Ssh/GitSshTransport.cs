using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// Git over SSH for libgit2 through the system's OpenSSH client, run by us instead of libgit2's exec backend, because:
/// every wait honours the writer's deadline and Ctrl+C (ssh is killed then); ssh's stderr becomes the coded error's
/// detail (libgit2 drops it); and the key and known_hosts reach ssh as arguments of this one process, with no
/// process-wide GIT_SSH_COMMAND (which .NET could not set for libgit2 anyway: Environment.SetEnvironmentVariable does
/// not change the native environment).
/// </summary>
/// <param name="settings">The key and known hosts every clone through this transport uses.</param>
internal sealed class GitSshTransport(SshSettings settings) : IRemoteTransport
{
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers <see cref="GitSshSubtransport"/> with libgit2 under this copy's private scheme (once).</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    public bool Reaches(ConfigRepositoryLocation location) => location.IsSsh;

    public IRemoteRoute Open(ConfigRepositoryLocation location, GitCredentials? credentials, string? workDirectory) =>
        new SshRoute(location, PrivateScheme.Wrap(Scheme, location.DisplayUrl), settings, workDirectory);

    private const string Scheme = "ssh";

    private static bool Register()
    {
        GlobalSettings.RegisterSmartSubtransport<GitSshSubtransport>(PrivateScheme.For(Scheme));
        return true;
    }
}
