using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// How one config clone reaches its repository over SSH, from the clone to the push: the settings, where temporary
/// files go, and the login the two share (<see cref="SshConnectionShare"/>). Disposing it ends that login.
/// </summary>
internal sealed class SshRoute : IDisposable
{
    private readonly SshSettings settings;
    private readonly string? workDirectory;
    private readonly SshConnectionShare? share;

    public SshRoute(string cloneUrl, SshSettings settings, string? workDirectory)
    {
        this.settings = settings;
        this.workDirectory = workDirectory;
        share = SshConnectionShare.Create(cloneUrl, settings.Program, workDirectory);
    }

    /// <summary>A libgit2 network call over SSH, bounded by <paramref name="deadline"/> (see <see cref="GitSshSession"/>).</summary>
    public T Run<T>(string displayUrl, Deadline deadline, Func<T> operation) =>
        new GitSshSession(displayUrl, settings, workDirectory, deadline, share).Run(operation);

    public void Dispose() => share?.Dispose();
}
