namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// How one config clone reaches its repository over SSH, from the clone to the push: the parsed address, the settings,
/// where temporary files go, and the login the calls share (<see cref="SshConnectionShare"/>). Disposing it ends that login.
/// </summary>
internal sealed class SshRoute : IRemoteRoute
{
    private readonly ConfigRepositoryLocation location;
    private readonly SshSettings settings;
    private readonly string? workDirectory;
    private readonly SshConnectionShare? share;

    public SshRoute(ConfigRepositoryLocation location, string libGit2Url, SshSettings settings, string? workDirectory)
    {
        this.location = location;
        this.settings = settings;
        this.workDirectory = workDirectory;
        LibGit2Url = libGit2Url;
        share = SshConnectionShare.Create(Address, settings.Program, workDirectory);
    }

    public string LibGit2Url { get; }

    private SshAddress Address => location.Ssh ?? throw new ArgumentException("not an SSH location", nameof(location));

    /// <summary>A libgit2 network call over SSH, bounded by <paramref name="deadline"/> (see <see cref="GitSshSession"/>).</summary>
    public T Run<T>(Deadline deadline, long maxReceived, Func<T> operation) =>
        new GitSshSession(location.DisplayUrl, Address, settings, workDirectory, deadline, share, maxReceived).Run(operation);

    public void Dispose() => share?.Dispose();
}
