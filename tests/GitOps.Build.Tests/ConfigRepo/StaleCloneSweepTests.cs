using System.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>Temporary clones left by a killed build are deleted by the next run; live ones and links are left alone.</summary>
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

    private string Clone(string name, DateTime? written = null)
    {
        var path = Path.Combine(_parent, name);
        Directory.CreateDirectory(Path.Combine(path, "objects", "pack"));
        File.WriteAllText(Path.Combine(path, "objects", "pack", "pack-1.pack"), "pack");
        File.SetAttributes(Path.Combine(path, "objects", "pack", "pack-1.pack"), FileAttributes.ReadOnly);
        if (written is { } time) Directory.SetLastWriteTimeUtc(path, time);
        return path;
    }

    [TestMethod]
    public void A_clone_whose_process_is_gone_is_deleted_and_one_whose_process_runs_is_kept()
    {
        var dead = Clone($"{Prefix}{ExitedProcessId()}-0123456789ab");
        var mine = Clone(Path.GetFileName(TempDirectory.NewPath(null, Prefix)));

        var deleted = TempDirectory.SweepStale(_parent, Prefix);

        Assert.AreEqual(1, deleted);
        Assert.IsFalse(Directory.Exists(dead));
        Assert.IsTrue(Directory.Exists(mine));
    }

    [TestMethod]
    public void A_clone_whose_process_id_now_belongs_to_a_later_process_is_deleted()
    {
        // This test process started before now, so a directory last written a day before it cannot be its own.
        var reused = Clone($"{Prefix}{Environment.ProcessId}-0123456789ab", Process.GetCurrentProcess().StartTime.ToUniversalTime().AddDays(-1));

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(reused));
    }

    [TestMethod]
    public void A_clone_named_without_a_process_id_is_deleted_only_after_an_hour()
    {
        var old = Clone(Prefix + "0123456789ab", DateTime.UtcNow.AddHours(-2));
        var recent = Clone(Prefix + "ba9876543210");

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(old));
        Assert.IsTrue(Directory.Exists(recent));
    }

    [TestMethod]
    public void Links_are_not_followed_neither_a_link_named_like_a_clone_nor_one_inside_a_stale_clone()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_parent, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not a clone");
        var dead = ExitedProcessId();
        var link = Path.Combine(_parent, $"{Prefix}{dead}-linklinklink");
        Directory.CreateSymbolicLink(link, outside);
        var stale = Clone($"{Prefix}{dead}-0123456789ab");
        Directory.CreateSymbolicLink(Path.Combine(stale, "escape"), outside);

        TempDirectory.SweepStale(_parent, Prefix);

        Assert.IsFalse(Directory.Exists(stale));
        Assert.IsTrue(File.Exists(Path.Combine(outside, "keep.txt")), "nothing outside deleted");
        Assert.IsNotNull(new DirectoryInfo(link).LinkTarget, "a link named like a clone is left alone");
    }

    [TestMethod]
    public void A_parent_that_does_not_exist_sweeps_nothing() =>
        Assert.AreEqual(0, TempDirectory.SweepStale(Path.Combine(_parent, "missing"), Prefix));
}
