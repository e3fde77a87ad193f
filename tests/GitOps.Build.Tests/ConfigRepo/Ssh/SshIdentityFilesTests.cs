using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>GITOPS_SSH_KEY and GITOPS_SSH_KNOWN_HOSTS: paths are used as they are, content lives in private files only while a transfer runs.</summary>
[TestClass]
public sealed class SshIdentityFilesTests
{
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAA\r\n-----END OPENSSH PRIVATE KEY-----";
    private string work = null!;

    [TestInitialize]
    public void CreateWorkDirectory() => work = Directory.CreateTempSubdirectory("gitops-ssh-files-").FullName;

    [TestCleanup]
    public void DeleteWorkDirectory() => TempDirectory.TryDelete(work);

    [TestMethod]
    public void Key_content_goes_to_an_owner_only_file_with_unix_line_ends_that_is_deleted_on_dispose()
    {
        string keyFile;
        using (var files = SshIdentityFiles.Create(new SshSettings { Key = Key }, work))
        {
            keyFile = files.KeyFile!;
            Assert.AreEqual(Key.ReplaceLineEndings("\n") + "\n", File.ReadAllText(keyFile), "OpenSSH wants the final newline");
            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(keyFile)!));
            }
            Assert.IsNull(files.KnownHostsFile);
        }

        Assert.IsFalse(File.Exists(keyFile));
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(work));
    }

    [TestMethod]
    public void Known_hosts_lines_go_to_a_file_and_paths_are_used_as_they_are()
    {
        var keyPath = Path.Combine(work, "id_ed25519");
        File.WriteAllText(keyPath, Key);
        const string lines = "[git.example.com]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO\n";

        using var files = SshIdentityFiles.Create(new SshSettings { Key = keyPath + "\n", KnownHosts = lines }, work);

        Assert.AreEqual(keyPath, files.KeyFile);
        Assert.AreEqual(lines, File.ReadAllText(files.KnownHostsFile!));
        Assert.AreNotEqual(work, Path.GetDirectoryName(files.KnownHostsFile));
    }

    [TestMethod]
    public void A_key_that_is_neither_a_file_nor_key_text_is_GITOPS086_without_quoting_it()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => SshIdentityFiles.Create(new SshSettings { Key = "b3BlbnNzaC1rZXktdjEAAAAA" }, work));

        Assert.AreEqual(Errors.SshKeyUnusable.Code, error.Code);
        StringAssert.Contains(error.Message, "GITOPS_SSH_KEY");
        Assert.IsFalse(error.Message.Contains("b3BlbnNzaC1rZXktdjEAAAAA", StringComparison.Ordinal));
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(work));
    }

    [TestMethod]
    public void Known_hosts_that_are_neither_a_file_nor_lines_are_GITOPS087()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            SshIdentityFiles.Create(new SshSettings { Key = Key, KnownHosts = Path.Combine(work, "missing_known_hosts") }, work));

        Assert.AreEqual(Errors.SshKnownHostsUnusable.Code, error.Code);
        StringAssert.Contains(error.Message, "GITOPS_SSH_KNOWN_HOSTS");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(work), "nothing is written before both are checked");
    }

    [TestMethod]
    public void The_settings_never_print_the_key() =>
        Assert.IsFalse(new SshSettings { Key = Key }.ToString().Contains("b3BlbnNz", StringComparison.Ordinal));

    [TestMethod]
    public void The_settings_come_from_GITOPS_SSH_KEY_and_GITOPS_SSH_KNOWN_HOSTS()
    {
        var settings = SshSettings.FromEnvironment(name => name switch
        {
            "GITOPS_SSH_KEY" => Key,
            "GITOPS_SSH_KNOWN_HOSTS" => "  ",
            _ => null,
        });

        Assert.AreEqual(Key, settings.Key);
        Assert.IsNull(settings.KnownHosts, "blank means unset");
    }
}
