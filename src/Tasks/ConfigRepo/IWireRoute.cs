namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A route that also carries git's wire protocol for our own code (not libgit2's): one request and its whole answer per
/// call, each wait bounded by the deadline. The HTTP and SSH transports implement it; a route without it is always cloned.
/// </summary>
internal interface IWireRoute
{
    /// <summary>
    /// True when upload-pack's capabilities come with every answer (SSH: each connection starts with them, see
    /// <see cref="Greeting"/>); false when they take an exchange of their own (HTTP: the advertisement, a GET).
    /// </summary>
    bool GreetsWithEveryAnswer { get; }

    /// <summary>The capabilities that came with the last answer of upload-pack (<see cref="GreetsWithEveryAnswer"/>); null before one, or over HTTP.</summary>
    Wire.V2Capabilities? Greeting { get; }

    /// <summary>
    /// One exchange with <paramref name="service"/> (git-upload-pack, git-receive-pack): its advertisement when
    /// <paramref name="request"/> is null, else the request and the service's answer. Upload-pack is asked for protocol v2.
    /// </summary>
    /// <exception cref="LibGit2Sharp.LibGit2SharpException">Network trouble or an HTTP status, worded as libgit2's own transport words it.</exception>
    /// <exception cref="Wire.WireFormatException">The answer is longer than <paramref name="maxAnswerBytes"/>, or not pkt-lines.</exception>
    /// <exception cref="Wire.RemoteRefusedException">git on the server died on the request (SSH: its "fatal:" line).</exception>
    byte[] Exchange(string service, byte[]? request, Deadline deadline, long maxAnswerBytes);

    /// <summary>Ends what the exchanges shared (SSH: their login), when the clone is made another way after all.</summary>
    void EndExchanges();

    /// <summary>What went over this route so far, for the log and the benchmarks.</summary>
    WireCounters Counters { get; }
}

/// <summary>
/// Round trips, bytes and time waiting on the server of the exchanges of one route. The wait of an exchange runs from
/// sending its request to the end of its answer: what the server (and the network) took, apart from the client's own work.
/// </summary>
internal sealed class WireCounters
{
    private int roundTrips;
    private long sent;
    private long received;
    private long waitedTicks;

    public int RoundTrips => roundTrips;

    public long BytesSent => Interlocked.Read(ref sent);

    public long BytesReceived => Interlocked.Read(ref received);

    /// <summary>The exchanges' waits, summed.</summary>
    public TimeSpan ServerWait => TimeSpan.FromTicks(Interlocked.Read(ref waitedTicks));

    public void Record(long requestBytes, long answerBytes, TimeSpan waited)
    {
        Interlocked.Increment(ref roundTrips);
        Interlocked.Add(ref sent, requestBytes);
        Interlocked.Add(ref received, answerBytes);
        Interlocked.Add(ref waitedTicks, Math.Max(0, waited.Ticks));
    }
}
