using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Signing;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// What a killed build left (clones, key copies, GnuPG homes and their agents) is deleted by the next run; only what the
/// product made and can prove it made: never a live one, a user's directory named alike, or anything through a link.
/// </summary>
[TestClass]
public sealed class StaleCloneSweepTests
{
    private const string Prefix = TempDirectory.ConfigClonePrefix;

    private string _parent = "";

    [TestInitialize]
    public void CreateParent() => _parent = Directory.CreateTempSubdirectory("gitops-sweep-").FullName;

    [TestCleanup]
    public void DeleteParent() => TempDirectory.TryDelete(_parent);

    /// <summary>The id of a process that has exited: a build killed with -9 leaves exactly that behind.</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>A clone as the product makes it (marker first), owned by <paramref name="processId"/>.</summary>
    private string Clone(int processId)
    {
        var path = TempDirectory.Create(_parent, Prefix, processId);
        var pack = Path.Combine(path, ConfigRepositoryClone.GitDirectoryName, "objects", "pack");
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "pack-1.pack"), "pack");
        File.SetAttributes(Path.Combine(pack, "pack-1.pack"), FileAttributes.ReadOnly);
        return path;
    }

    private static string Marker(string directory) => Path.Combine(directory, TempDirectory.MarkerName);

    [TestMethod]
    public void A_clone_whose_process_is_gone_is_deleted_and_one_whose_process_runs_is_kept()
    {
        var dead = Clone(ExitedProcessId());
        var mine = Clone(Environment.ProcessId);

        var deleted = TempDirectory.SweepStale(_parent, Prefix);

        Assert.AreEqual(1, deleted);
        Assert.IsFalse(Directory.Exists(dead));
        Assert.IsTrue(Directory.Exists(mine));
    }

    [TestMethod]
    public void A_clone_whose_process_id_now_belongs_to_a_later_process_is_deleted()
    {
        var reused = Clone(Environment.ProcessId);
        // This test process started before now, so a marker written a day before it cannot be its own.
        File.SetLastWriteTimeUtc(Marker(reused), Process.GetCurrentProcess().StartTime.ToUniversalTime().AddDays(-1));

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(reused));
    }

    [TestMethod]
    public void A_users_own_clone_named_like_one_is_never_deleted_however_old()
    {
        // The reproduction of issue 20: git clone <any> $TMPDIR/gitops-config-staging, edit a file, make it old.
        var seed = Path.Combine(_parent, "seed");
        Directory.CreateDirectory(seed);
        GitCli.Run(seed, "init", "--quiet");
        File.WriteAllText(Path.Combine(seed, "values.yaml"), "a: 1\n");
        GitCli.Run(seed, "add", "--all");
        GitCli.Run(seed, "commit", "--quiet", "-m", "seed");
        var staging = Path.Combine(_parent, Prefix + "staging");
        GitCli.Run(_parent, "clone", "--quiet", seed, staging);
        File.WriteAllText(Path.Combine(staging, "values.yaml"), "a: 2 # uncommitted work\n");
        var named = Directory.CreateDirectory(Path.Combine(_parent, $"{Prefix}{ExitedProcessId()}-0123456789abcdef")).FullName;
        foreach (var directory in new[] { staging, named })
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow.AddHours(-2));

        var deleted = TempDirectory.SweepStale(_parent, Prefix);

        Assert.AreEqual(0, deleted);
        Assert.AreEqual("a: 2 # uncommitted work\n", File.ReadAllText(Path.Combine(staging, "values.yaml")));
        Assert.IsTrue(Directory.Exists(named), "a name with a dead process id proves nothing without the marker");
    }

    [TestMethod]
    public void A_marker_that_does_not_match_its_directory_or_is_a_link_proves_nothing()
    {
        var dead = ExitedProcessId();
        var copied = Clone(dead);
        var copy = Path.Combine(_parent, $"{Prefix}{dead}-fedcba9876543210");
        Directory.Move(copied, copy); // e.g. a user's copy of a left-over clone: its marker names the old directory
        var linked = Clone(dead);
        File.Delete(Marker(linked));
        File.CreateSymbolicLink(Marker(linked), Marker(copy));
        var hardLinked = Clone(dead);
        ProcessRunner.Run("ln", [Marker(hardLinked), Path.Combine(_parent, "second-name")]);

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsTrue(Directory.Exists(copy), "a marker whose token is not its directory's");
        Assert.IsTrue(Directory.Exists(linked), "a marker that is a symbolic link");
        Assert.IsTrue(Directory.Exists(hardLinked), "a marker with a second hard link");
    }

    [TestMethod]
    public void A_directory_or_marker_owned_by_another_user_is_kept()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Assert.Inconclusive("needs root, to give files to another user");
        var dead = ExitedProcessId();
        var theirs = Clone(dead);
        var theirMarker = Clone(dead);
        ProcessRunner.Run("chown", ["-R", "65534", theirs]);
        ProcessRunner.Run("chown", ["65534", Marker(theirMarker)]);

        var deleted = TempDirectory.SweepStale(_parent, Prefix);

        Assert.AreEqual(0, deleted);
        Assert.IsTrue(Directory.Exists(theirs));
        Assert.IsTrue(Directory.Exists(theirMarker));
    }

    [TestMethod]
    public void Links_are_not_followed_neither_a_link_named_like_a_clone_nor_one_inside_a_stale_clone()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_parent, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not a clone");
        var dead = ExitedProcessId();
        // A link named like a clone, to a directory that would pass every check.
        var elsewhere = Directory.CreateDirectory(Path.Combine(_parent, "elsewhere")).FullName;
        var target = TempDirectory.Create(elsewhere, Prefix, dead);
        var link = Path.Combine(_parent, Path.GetFileName(target));
        Directory.CreateSymbolicLink(link, target);
        var stale = Clone(dead);
        Directory.CreateSymbolicLink(Path.Combine(stale, "escape"), outside);

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(stale));
        Assert.IsTrue(File.Exists(Path.Combine(outside, "keep.txt")), "nothing outside deleted");
        Assert.IsNotNull(new DirectoryInfo(link).LinkTarget, "a link named like a clone is left alone");
        Assert.IsTrue(File.Exists(Marker(target)), "and what it points to");
    }

    [TestMethod]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_hard_link_in_a_stale_clone_is_unlinked_without_changing_the_file_it_shares()
    {
        if (OperatingSystem.IsWindows())
            Assert.Inconclusive("Unix modes");
        var outside = Path.Combine(_parent, "read-only.txt");
        File.WriteAllText(outside, "the user's file");
        File.SetUnixFileMode(outside, UnixFileMode.UserRead);
        var stale = Clone(ExitedProcessId());
        ProcessRunner.Run("ln", [outside, Path.Combine(stale, ConfigRepositoryClone.GitDirectoryName, "hard-link")]);

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(stale));
        Assert.AreEqual(UnixFileMode.UserRead, File.GetUnixFileMode(outside), "its mode is not touched through the link");
        Assert.AreEqual("the user's file", File.ReadAllText(outside));
    }

    [TestMethod]
    public void Key_copies_and_sharing_sockets_of_a_killed_build_are_deleted()
    {
        var dead = ExitedProcessId();
        var keys = TempDirectory.Create(_parent, SshIdentityFiles.DirectoryPrefix, dead);
        File.WriteAllText(Path.Combine(keys, "key"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var share = TempDirectory.Create(_parent, SshConnectionShare.DirectoryPrefix, dead);
        var live = TempDirectory.Create(_parent, SshIdentityFiles.DirectoryPrefix);

        var deleted = SshIdentityFiles.SweepStale(_parent);

        Assert.AreEqual(2, deleted);
        Assert.IsFalse(Directory.Exists(keys));
        Assert.IsFalse(Directory.Exists(share));
        Assert.IsTrue(Directory.Exists(live));
    }

    [TestMethod]
    public void A_GnuPG_home_of_a_killed_build_is_deleted_after_its_gpg_agent_is_stopped()
    {
        var home = TempDirectory.Create(_parent, OpenPgpCommitSigner.HomePrefix, ExitedProcessId());
        Directory.CreateDirectory(Path.Combine(home, "private-keys-v1.d"));
        var started = ProcessRunner.Run("gpg-connect-agent", ["--homedir", home, "getinfo pid", "/bye"]);
        var line = started.StandardOutput.Split('\n').Single(text => text.StartsWith("D ", StringComparison.Ordinal));
        using var agent = Process.GetProcessById(int.Parse(line[2..].Trim(), System.Globalization.CultureInfo.InvariantCulture));

        var deleted = OpenPgpCommitSigner.SweepStale(_parent, Environment.GetEnvironmentVariable);

        Assert.AreEqual(1, deleted);
        Assert.IsFalse(Directory.Exists(home));
        // gpgconf --kill asks the agent to exit and returns; the wait is bounded and its length asserts nothing.
        Assert.IsTrue(agent.WaitForExit(TimeSpan.FromSeconds(30)), "its gpg-agent was stopped");
    }

    [TestMethod]
    public void A_parent_that_does_not_exist_sweeps_nothing() =>
        Assert.AreEqual(0, TempDirectory.SweepStale(Path.Combine(_parent, "missing"), Prefix));
}
