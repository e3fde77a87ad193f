using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.Signing;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>
/// Every file the user names is read (or handed to ssh and ssh-keygen) only when it is a regular file within its size
/// limit: a FIFO hung the build forever, /dev/zero drove ssh-keygen to 24 GB and the build to OutOfMemoryException.
/// Each case has a time limit, so that a hang fails instead of stopping the suite.
/// </summary>
[TestClass]
public sealed class UserFileTests
{
    private const int Limit = 60_000;
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("gitops-user-file-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => GitOps.Build.ConfigRepo.TempDirectory.TryDelete(_directory);

    private string Fifo()
    {
        var path = Path.Combine(_directory, "fifo");
        if (!File.Exists(path))
            ProcessRunner.Run("mkfifo", [path]);
        return path;
    }

    /// <summary>A regular file over every limit, sparse: 40 MB that take no disk.</summary>
    private string Huge()
    {
        var path = Path.Combine(_directory, "huge");
        using (var file = File.Create(path))
            file.SetLength(40L * 1024 * 1024);
        return path;
    }

    private static void AssertRefused(string variable, Action read)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(read);
        Assert.AreEqual(Errors.UserFileUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, variable);
    }

    public static IEnumerable<object[]> NotRegular => [["fifo"], ["/dev/zero"], ["directory"], ["huge"]];

    private string Named(string kind) => kind switch
    {
        "fifo" => Fifo(),
        "directory" => _directory,
        "huge" => Huge(),
        _ => kind,
    };

    [TestMethod]
    [Timeout(Limit)]
    [DynamicData(nameof(NotRegular))]
    public void The_helper_reads_only_a_regular_file_within_its_limit(string kind) =>
        AssertRefused("SOME_VARIABLE", () => UserFile.ReadAllBytes(Named(kind), "SOME_VARIABLE", UserFile.KeyLimit));

    [TestMethod]
    public void A_regular_file_within_the_limit_is_read_whole_and_a_missing_one_is_the_callers_IOException()
    {
        var file = Path.Combine(_directory, "key");
        File.WriteAllText(file, "\uFEFFkey text");

        Assert.AreEqual("key text", UserFile.ReadAllText(file, "V", 100));
        Assert.ThrowsExactly<GitOpsException>(() => UserFile.ReadAllBytes(file, "V", 5), "over the limit by its size");
        Assert.ThrowsExactly<FileNotFoundException>(() => UserFile.ReadAllBytes(file + ".missing", "V", 100));
    }

    [TestMethod]
    [Timeout(Limit)]
    [DataRow("ssh", "fifo")]
    [DataRow("ssh", "/dev/zero")]
    [DataRow("openpgp", "fifo")]
    [DataRow("openpgp", "/dev/zero")]
    [DataRow("openpgp", "huge")]
    public void GITOPS_SIGNING_KEY_naming_a_FIFO_a_device_or_a_huge_file_is_GITOPS100(string format, string kind)
    {
        var path = Named(kind);
        AssertRefused(CommitSigning.KeyVariable, () => CommitSigning.Read(format, null, name => name == CommitSigning.KeyVariable ? path : Environment.GetEnvironmentVariable(name)));
    }

    [TestMethod]
    [Timeout(Limit)]
    [DataRow("fifo")]
    [DataRow("/dev/zero")]
    public void GitOpsCommitSigningKey_naming_a_FIFO_or_a_device_is_GITOPS100_naming_that_property(string kind)
    {
        var path = Named(kind);
        AssertRefused(CommitSigning.KeyProperty, () => CommitSigning.Read("ssh", path, name => name == CommitSigning.KeyVariable ? null : Environment.GetEnvironmentVariable(name)));
    }

    [TestMethod]
    [Timeout(Limit)]
    [DynamicData(nameof(NotRegular))]
    public void GITOPS_CA_BUNDLE_naming_anything_but_a_regular_file_within_the_limit_is_GITOPS100(string kind)
    {
        var path = Named(kind);
        AssertRefused(HttpTransportSettings.CaBundleVariable, () => HttpTransportSettings.FromEnvironment(name => name == HttpTransportSettings.CaBundleVariable ? path : null));
    }

    [TestMethod]
    [Timeout(Limit)]
    [DataRow("fifo")]
    [DataRow("/dev/zero")]
    [DataRow("huge")]
    public void GITOPS_SSH_KEY_and_GITOPS_SSH_KNOWN_HOSTS_naming_a_FIFO_a_device_or_a_huge_file_are_GITOPS100(string kind)
    {
        var path = Named(kind);
        AssertRefused("GITOPS_SSH_KEY", () => SshIdentityFiles.Create(new SshSettings { Key = path }, _directory).Dispose());
        AssertRefused("GITOPS_SSH_KNOWN_HOSTS", () => SshIdentityFiles.Create(new SshSettings { KnownHosts = path }, _directory).Dispose());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    [Timeout(Limit, CooperativeCancellation = true)]
    public void An_output_that_is_a_FIFO_is_refused_before_it_is_opened_not_a_wait_Ctrl_C_cannot_end(bool append)
    {
        // Before (fourth probe): GitOpsStatusFile naming a FIFO blocked the build in open(2) until a reader came.
        var error = Assert.ThrowsExactly<IOException>(() => UserFile.WriteText(Fifo(), "{}", append));

        StringAssert.Contains(error.Message, "not a regular file");
    }

    [TestMethod]
    public void An_output_that_is_a_device_is_refused_and_a_new_file_is_written()
    {
        Assert.ThrowsExactly<IOException>(() => UserFile.WriteText("/dev/null", "{}", append: true));
        var path = Path.Combine(_directory, "status.json");

        UserFile.WriteText(path, "a", append: false);
        UserFile.WriteText(path, "b", append: true);

        Assert.AreEqual("ab", File.ReadAllText(path));
    }
}
