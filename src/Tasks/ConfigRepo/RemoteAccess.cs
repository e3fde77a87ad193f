namespace GitOps.Build.ConfigRepo;

/// <summary>
/// What a libgit2 call needs to reach the server, from the clone to the push: over HTTP and SSH the route of the
/// transport that reaches the location (<see cref="IRemoteTransport"/>), bounded by the deadline; local as it is.
/// </summary>
internal sealed class RemoteAccess : IDisposable
{
    private readonly IRemoteRoute? route;
    private readonly long maxReceived;

    public RemoteAccess(ConfigRepositoryLocation location, GitCredentials? credentials, ConfigWriterOptions options)
    {
        Location = location;
        maxReceived = options.MaxReceivedBytes;
        if (location.Transport == ConfigTransport.File)
            return;
        var transport = options.Transports.FirstOrDefault(candidate => candidate.Reaches(location))
            ?? throw new InvalidOperationException($"GitOps.Build: no transport for {location.Transport} in the writer's options.");
        route = transport.Open(location, credentials, options.WorkDirectory);
    }

    public ConfigRepositoryLocation Location { get; }

    /// <summary>The URL libgit2 is given: routed to our HTTP or SSH subtransport, or the local path as it is.</summary>
    public string LibGit2Url => route?.LibGit2Url ?? Location.LocalPath!;

    /// <summary>The route as our own wire-protocol code uses it (HTTP, SSH), or null: libgit2 alone reaches this location.</summary>
    public IWireRoute? WireRoute => route as IWireRoute;

    /// <summary>A clone, listing or push: it may receive <see cref="ConfigWriterOptions.MaxReceivedBytes"/>.</summary>
    public T Run<T>(Deadline deadline, Func<T> operation) => Run(deadline, maxReceived, operation);

    /// <summary>A call that may receive <paramref name="limit"/> bytes (at most <see cref="ConfigWriterOptions.MaxReceivedBytes"/>).</summary>
    public T Run<T>(Deadline deadline, long limit, Func<T> operation) =>
        route is null ? operation() : route.Run(deadline, Math.Min(limit, maxReceived), operation);

    /// <summary>The most a call may receive: a fresh clone's bound.</summary>
    public long MaxReceived => maxReceived;

    public void Run(Deadline deadline, Action operation) => Run(deadline, () =>
    {
        operation();
        return 0;
    });

    public void Dispose() => route?.Dispose();
}
