using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>The transports a task composes (GitOpsTask.TransportOptions), for tests that build a writer themselves.</summary>
internal static class TestTransports
{
    /// <summary>HTTP without proxy or extra CA, SSH with the user's own ~/.ssh.</summary>
    public static IReadOnlyList<IRemoteTransport> Direct { get; } = With();

    public static IReadOnlyList<IRemoteTransport> With(HttpTransportSettings? http = null, SshSettings? ssh = null) =>
        [new GitHttpTransport(http ?? HttpTransportSettings.Direct), new GitSshTransport(ssh ?? new SshSettings())];
}
