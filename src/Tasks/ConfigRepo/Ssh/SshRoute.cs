using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// How one config clone reaches its repository over SSH, from the clone to the push: the parsed address, the settings,
/// where temporary files go, and the login the calls share (<see cref="SshConnectionShare"/>). Disposing it ends that login.
/// It also carries the treeless clone's own exchanges (<see cref="SshWireExchange"/>), over a login of their own: a
/// sharing master passes its SetEnv (GIT_PROTOCOL=version=2) on to every session over it, and libgit2 speaks only v0.
/// </summary>
internal sealed class SshRoute : IRemoteRoute, IWireRoute
{
    private readonly ConfigRepositoryLocation location;
    private readonly SshSettings settings;
    private readonly string? workDirectory;
    private readonly SshConnectionShare? share;
    private SshConnectionShare? wireShare;
    private bool wireShareCreated;

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
    public T Run<T>(Deadline deadline, long maxReceived, Func<T> operation)
    {
        // libgit2 reaches the transport through its registration; our own exchanges (Exchange) need none.
        GitSshTransport.EnsureRegistered();
        return new GitSshSession(location.DisplayUrl, Address, settings, workDirectory, deadline, share, maxReceived).Run(operation);
    }

    public WireCounters Counters { get; } = new();

    /// <summary>Every ssh process starts with upload-pack's capabilities: they come with each answer, not by an exchange of their own.</summary>
    public bool GreetsWithEveryAnswer => true;

    public V2Capabilities? Greeting { get; private set; }

    public byte[] Exchange(string service, byte[]? request, Deadline deadline, long maxAnswerBytes)
    {
        if (!wireShareCreated)
        {
            wireShare = SshConnectionShare.Create(Address, settings.Program, workDirectory);
            wireShareCreated = true;
        }
        var session = new GitSshSession(location.DisplayUrl, Address, settings, workDirectory, deadline, wireShare, maxAnswerBytes);
        var exchange = new SshWireExchange(session, Counters);
        try
        {
            return session.Run(() => exchange.Send(service, request, maxAnswerBytes));
        }
        finally
        {
            Greeting = exchange.Greeting ?? Greeting;
        }
    }

    public void EndExchanges()
    {
        wireShare?.Dispose();
        wireShare = null;
    }

    public void Dispose()
    {
        wireShare?.Dispose();
        share?.Dispose();
    }
}
