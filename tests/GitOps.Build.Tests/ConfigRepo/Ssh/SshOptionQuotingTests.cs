using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>
/// Paths with spaces, %, quotes and non-ASCII letters reach the real ssh (and sshd of build/env) as they are: before,
/// ssh split option values at whitespace, so GITOPS_SSH_KNOWN_HOSTS="/k/known hosts" also trusted the file /k/known,
/// and a TMPDIR with a space or a %h broke (or redirected) the shared login's ControlPath.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class SshOptionQuotingTests
{
    // Short enough for a Unix socket path under it (~100 bytes), odd enough for any parser.
    private const string OddName = "a b%h%d 'q\"ü";

    private TestEnvironment environment = null!;
    private ServedRepository repository = null!;
    private string odd = null!;
    private string oddParent = null!;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.RequireSsh();
        repository = ServedRepository.Create(environment, "ssh-quoting-tests");
        // A short parent: the shared login's socket path must fit in a Unix socket address.
        oddParent = Directory.CreateTempSubdirectory("q").FullName;
        odd = Directory.CreateDirectory(Path.Combine(oddParent, OddName)).FullName;
    }

    [TestCleanup]
    public void DeleteRepository()
    {
        repository?.Dispose();
        if (oddParent is not null)
            TempDirectory.TryDelete(oddParent);
    }

    private ConfigCommitResult Commit(SshSettings settings, Action? duringApply = null) =>
        new ConfigRepositoryWriter(null, new RecordingLog(), new ConfigWriterOptions { WorkDirectory = odd, Transports = TestTransports.With(ssh: settings) }, Backoff.None)
            .Commit(ConfigRepositoryWriterTests.Request(environment.SshRepositoryUrl(repository.Name)),
                new FunctionChange((_, _) =>
                {
                    duringApply?.Invoke();
                    return new Dictionary<string, byte[]> { [ServedRepository.Manifest] = Encoding.UTF8.GetBytes(ServedRepository.NewManifest) };
                }));

    [TestMethod]
    public void A_known_hosts_path_with_a_space_is_one_file_and_its_pin_holds()
    {
        // "known hosts" pins another key; "known" (what an unquoted value would also read) holds the server's real one.
        var knownHosts = Path.Combine(odd, "known hosts");
        File.Copy(environment.SshWrongKnownHosts, knownHosts);
        File.Copy(environment.SshKnownHosts, Path.Combine(odd, "known"));
        var before = repository.Tip();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Commit(new SshSettings { Key = environment.SshDeployKey, KnownHosts = knownHosts }));

        Assert.AreEqual(Errors.SshHostKeyChanged.Code, error.Code, error.Message);
        Assert.AreEqual(before, repository.Tip(), "nothing pushed");
    }

    [TestMethod]
    public void Key_known_hosts_and_the_shared_login_work_under_a_temporary_directory_with_spaces_percent_quotes_and_non_ASCII()
    {
        string? socket = null;
        var result = Commit(
            new SshSettings { Key = File.ReadAllText(environment.SshDeployKey), KnownHosts = File.ReadAllText(environment.SshKnownHosts) },
            () => socket = Directory.GetFiles(odd, "c", SearchOption.AllDirectories).SingleOrDefault());

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(repository.Tip(), result.CommitSha);
        Assert.IsNotNull(socket, "the shared login's socket is where it was asked for, %h not expanded");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(odd), "nothing left");
    }

    [TestMethod]
    public void Key_and_known_hosts_files_named_with_spaces_percent_quotes_and_non_ASCII_are_used_as_named()
    {
        var key = Path.Combine(odd, "deploy key %r \"ü\"");
        File.Copy(environment.SshDeployKey, key);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var knownHosts = Path.Combine(odd, "it's known %h");
        File.Copy(environment.SshKnownHosts, knownHosts);

        var result = Commit(new SshSettings { Key = key, KnownHosts = knownHosts });

        Assert.AreEqual(repository.Tip(), result.CommitSha);
    }
}
