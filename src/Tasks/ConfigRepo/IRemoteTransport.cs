namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A way for libgit2 to reach a remote config repository, with every wait bounded by the writer's deadline: HTTP
/// (the Http folder) and SSH (the Ssh folder) implement it, and the task that writes puts them in
/// <see cref="ConfigWriterOptions.Transports"/>. This folder knows them only through this interface.
/// </summary>
internal interface IRemoteTransport
{
    /// <summary>True for the locations this transport reaches (by <see cref="ConfigRepositoryLocation.Transport"/>).</summary>
    bool Reaches(ConfigRepositoryLocation location);

    /// <summary>The route of one clone to <paramref name="location"/>, from the clone to the push; disposing it ends what they shared.</summary>
    IRemoteRoute Open(ConfigRepositoryLocation location, GitCredentials? credentials, string? workDirectory);
}

/// <summary>What the libgit2 calls of one clone go through.</summary>
internal interface IRemoteRoute : IDisposable
{
    /// <summary>
    /// The URL libgit2 is given: the display URL under this copy's private scheme (<see cref="PrivateScheme"/>), which
    /// routes the call to the transport. The transport takes the address from the location, not from this URL.
    /// </summary>
    string LibGit2Url { get; }

    /// <summary>
    /// Runs a libgit2 network call through the transport, bounded by <paramref name="deadline"/> and by what it may
    /// receive (<paramref name="maxReceived"/> bytes, see <see cref="ReceiveLimit"/>).
    /// </summary>
    T Run<T>(Deadline deadline, long maxReceived, Func<T> operation);
}
