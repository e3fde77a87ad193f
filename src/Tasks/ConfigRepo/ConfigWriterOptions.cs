namespace GitOps.Build.ConfigRepo;

/// <summary>Limits and places for <see cref="ConfigRepositoryWriter"/>.</summary>
internal sealed record ConfigWriterOptions
{
    /// <summary>How many times to start over (re-clone, re-apply, push) after a lost push race or a transient network error.</summary>
    public int PushRetries { get; init; } = DefaultPushRetries;

    /// <summary>Enough for 64 pipelines pushing to one branch at once to all land (build/bench/contention.sh); the timeout bounds the time.</summary>
    public const int DefaultPushRetries = 30;

    /// <summary>The whole operation, retries and back-off included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock <see cref="Timeout"/> is measured with: a test's own lets the budget run out at a chosen step.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Parent directory of the temporary clones; default <see cref="Path.GetTempPath"/>.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>
    /// How remote config repositories are reached: HTTP (with its proxy and CA trust) and SSH (with its key and known
    /// hosts), as the task composes them from the environment. Local ones need none.
    /// </summary>
    public IReadOnlyList<IRemoteTransport> Transports { get; init; } = [];

    /// <summary>
    /// The bytes one clone (or push) may receive over HTTP or SSH: <see cref="ReceiveLimit.CloneMaxBytes"/>, no property
    /// (its remarks say why); a test's own makes an endless pack end sooner.
    /// </summary>
    public long MaxReceivedBytes { get; init; } = ReceiveLimit.CloneMaxBytes;

    /// <summary>Signs every commit (each retry's too); null: commits are not signed.</summary>
    public ICommitSigner? Signer { get; init; }
}
