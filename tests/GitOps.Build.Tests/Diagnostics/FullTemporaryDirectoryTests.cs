using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.Signing;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>
/// A key given as text is written to a temporary file; on a full disk that was MSB4018 IOException. Now it is GITOPS102,
/// and nothing is left. The disk is a real 64 kB tmpfs (mounted as root, unmounted after), filled but for one page: the
/// directory's marker takes it, and the key finds no space.
/// </summary>
[TestClass]
public sealed class FullTemporaryDirectoryTests
{
    private const int Page = 4096;
    private string _mount = "";

    [TestInitialize]
    public void MountFullDisk()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Assert.Inconclusive("mounting a small tmpfs needs root on Linux");
        _mount = Directory.CreateTempSubdirectory("gitops-full-").FullName;
        var mounted = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", _mount]);
        if (mounted.ExitCode != 0)
            Assert.Inconclusive("no tmpfs here: " + mounted);
        var fillers = 0;
        try
        {
            while (true)
                File.WriteAllBytes(Path.Combine(_mount, "filler-" + fillers++), new byte[Page]);
        }
        catch (IOException)
        {
            // Full.
        }
        File.Delete(Path.Combine(_mount, "filler-0"));
    }

    [TestCleanup]
    public void Unmount()
    {
        if (_mount.Length == 0)
            return;
        ProcessRunner.Run("umount", [_mount]);
        Directory.Delete(_mount, recursive: true);
    }

    private IEnumerable<string> LeftBehind() =>
        Directory.GetFileSystemEntries(_mount).Select(Path.GetFileName).Where(name => !name!.StartsWith("filler-", StringComparison.Ordinal))!;

    [TestMethod]
    public void A_GITOPS_SSH_KEY_given_as_text_on_a_full_disk_is_GITOPS102_and_leaves_nothing()
    {
        var key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + new string('A', 2000) + "\n-----END OPENSSH PRIVATE KEY-----\n";

        var error = Assert.ThrowsExactly<GitOpsException>(() => SshIdentityFiles.Create(new SshSettings { Key = key }, _mount).Dispose());

        Assert.AreEqual(Errors.TemporaryFileNotWritten.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "GITOPS_SSH_KEY");
        Assert.IsFalse(error.Message.Contains(new string('A', 20), StringComparison.Ordinal), "never the key");
        CollectionAssert.AreEqual(Array.Empty<string>(), LeftBehind().ToList());
    }

    [TestMethod]
    public void A_GITOPS_SIGNING_KEY_given_as_text_on_a_full_disk_is_GITOPS102_and_leaves_nothing()
    {
        using var keys = new TestKeys();
        var (path, _) = keys.Ssh("signer");
        var signing = SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = File.ReadAllText(path) });

        var error = Assert.ThrowsExactly<GitOpsException>(() => signing.CreateSigner(TimeSpan.FromMinutes(1), _mount).Dispose());

        Assert.AreEqual(Errors.TemporaryFileNotWritten.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, CommitSigning.KeyVariable);
        CollectionAssert.AreEqual(Array.Empty<string>(), LeftBehind().ToList());
    }
}
