using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A writer aimed at a server that misbehaves on purpose (a loopback server, or a stand-in for the ssh client): a work
/// directory of its own, deleted on dispose, no retries; <see cref="Commit"/> (no log, five minutes) expects the coded error.
/// </summary>
internal sealed class HostileServerWriter : IDisposable
{
    public HostileServerWriter(string prefix)
    {
        WorkDirectory = TempDirectory.NewPath(null, prefix);
        Directory.CreateDirectory(WorkDirectory);
    }

    public string WorkDirectory { get; }

    /// <summary>Commits one change to <paramref name="url"/> and returns the error it must end with.</summary>
    public GitOpsException Commit(string url, SshSettings? ssh = null, long maxReceivedBytes = ReceiveLimit.CloneMaxBytes)
    {
        var writer = Writer(TimeSpan.FromMinutes(5), NullBuildLog.Instance, ssh, maxReceivedBytes);
        return Assert.ThrowsExactly<GitOpsException>(() => writer.Commit(ConfigRepositoryWriterTests.Request(url), FunctionChange.Replace("a.yaml", "a", "b")));
    }

    /// <summary>Deploys <paramref name="image"/> into <paramref name="manifest"/> on <paramref name="branch"/> (null: the remote's HEAD), as a build does.</summary>
    public ConfigCommitResult Deploy(string url, string manifest, string image, TimeSpan timeout, string? branch = "main", IBuildLog? log = null,
        CancellationToken cancellationToken = default) =>
        Deploy(url, [manifest], image, timeout, branch, log, cancellationToken);

    /// <summary>Deploys <paramref name="image"/> into each of <paramref name="manifests"/> in one commit (their reads batched).</summary>
    public ConfigCommitResult Deploy(string url, IReadOnlyList<string> manifests, string image, TimeSpan timeout, string? branch = "main", IBuildLog? log = null,
        CancellationToken cancellationToken = default)
    {
        var change = new ManifestImageChange([.. manifests.Select(manifest => new ManifestTarget(manifest, new ManifestEditOptions()))], ImageReference.Parse(image), "main", "config");
        return Writer(timeout, log ?? NullBuildLog.Instance, ssh: null, ReceiveLimit.CloneMaxBytes).Commit(ConfigRepositoryWriterTests.Request(url, branch), change,
            cancellationToken: cancellationToken);
    }

    private ConfigRepositoryWriter Writer(TimeSpan timeout, IBuildLog log, SshSettings? ssh, long maxReceivedBytes) =>
        new(null, log, new ConfigWriterOptions
        {
            Transports = TestTransports.With(ssh: ssh),
            Timeout = timeout,
            WorkDirectory = WorkDirectory,
            PushRetries = 0,
            MaxReceivedBytes = maxReceivedBytes,
        }, Backoff.None);

    /// <summary>What the work directory holds: <paramref name="expected"/> (files the test put there) and nothing the writer left.</summary>
    public void AssertHolds(params string[] expected) =>
        CollectionAssert.AreEquivalent(expected, Directory.GetFileSystemEntries(WorkDirectory));

    public void Dispose() => TempDirectory.TryDelete(WorkDirectory);
}
