using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// What a libgit2 call needs to reach the server, from the clone to the push: over HTTP and SSH our transports,
/// bounded by the deadline (the SSH login is shared by the clone and the push, and ends with this); local as it is.
/// </summary>
internal sealed class RemoteAccess(ConfigRepositoryLocation location, GitCredentials? credentials, ConfigWriterOptions options) : IDisposable
{
    private readonly SshRoute? ssh = location.IsSsh ? new SshRoute(location.CloneUrl, options.Ssh, options.WorkDirectory) : null;

    public ConfigRepositoryLocation Location => location;

    /// <summary>The URL libgit2 is given: routed to our HTTP or SSH subtransport, or the local path as it is.</summary>
    public string LibGit2Url { get; } =
        location.IsHttp ? GitHttpTransport.LibGit2Url(location.CloneUrl)
        : location.IsSsh ? GitSshTransport.LibGit2Url(location.CloneUrl)
        : location.CloneUrl;

    public T Run<T>(Deadline deadline, Func<T> operation) =>
        location.IsHttp ? new GitHttpSession(new Uri(location.CloneUrl), credentials, options.Http, deadline).Run(operation)
        : ssh is not null ? ssh.Run(location.DisplayUrl, deadline, operation)
        : operation();

    public void Run(Deadline deadline, Action operation) => Run(deadline, () =>
    {
        operation();
        return 0;
    });

    public void Dispose() => ssh?.Dispose();
}
