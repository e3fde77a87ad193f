using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;

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

    /// <summary>Proxy and CA trust for http(s) config repositories (<see cref="HttpTransportSettings.FromEnvironment"/>).</summary>
    public HttpTransportSettings Http { get; init; } = HttpTransportSettings.Direct;

    /// <summary>Signs every commit (each retry's too); null: commits are not signed.</summary>
    public ICommitSigner? Signer { get; init; }

    /// <summary>Key and known hosts for an ssh:// or scp-style config repository (GITOPS_SSH_KEY, GITOPS_SSH_KNOWN_HOSTS).</summary>
    public SshSettings Ssh { get; init; } = new();

    /// <summary>
    /// The transports as the environment configures them, read like the token: proxies and a private CA for HTTPS
    /// (<see cref="HttpTransportSettings.FromEnvironment"/>), the key and known hosts for SSH (<see cref="SshSettings.FromEnvironment"/>).
    /// </summary>
    public static ConfigWriterOptions FromEnvironment(TimeSpan timeout, Func<string, string?> getEnvironmentVariable) => new()
    {
        Timeout = timeout,
        Http = HttpTransportSettings.FromEnvironment(getEnvironmentVariable),
        Ssh = SshSettings.FromEnvironment(getEnvironmentVariable),
    };
}
