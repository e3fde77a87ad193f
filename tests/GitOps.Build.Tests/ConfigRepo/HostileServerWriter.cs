using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A writer aimed at a server that misbehaves on purpose (a loopback server, or a stand-in for the ssh client): a work
/// directory of its own, deleted on dispose, no retries, no log, five minutes; <see cref="Commit"/> expects the coded error.
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
        var writer = new ConfigRepositoryWriter(null, NullBuildLog.Instance, new ConfigWriterOptions
        {
            Transports = TestTransports.With(ssh: ssh),
            Timeout = TimeSpan.FromMinutes(5),
            WorkDirectory = WorkDirectory,
            PushRetries = 0,
            MaxReceivedBytes = maxReceivedBytes,
        }, Backoff.None);
        return Assert.ThrowsExactly<GitOpsException>(() => writer.Commit(ConfigRepositoryWriterTests.Request(url), FunctionChange.Replace("a.yaml", "a", "b")));
    }

    /// <summary>What the work directory holds: <paramref name="expected"/> (files the test put there) and nothing the writer left.</summary>
    public void AssertHolds(params string[] expected) =>
        CollectionAssert.AreEquivalent(expected, Directory.GetFileSystemEntries(WorkDirectory));

    public void Dispose() => TempDirectory.TryDelete(WorkDirectory);
}
