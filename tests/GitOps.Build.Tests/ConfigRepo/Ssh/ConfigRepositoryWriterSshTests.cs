using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>
/// The write-back over SSH against Debian's sshd from build/env/ssh-server.sh (a git-shell login with a deploy key, a
/// read-only key and a key it does not know), through the system's ssh. Inconclusive without it (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class ConfigRepositoryWriterSshTests : ServedWriterTests
{
    private string SshUrl => environment.SshRepositoryUrl(repository.Name);

    private SshSettings DeployKey => new() { Key = environment.SshDeployKey, KnownHosts = environment.SshKnownHosts };

    private protected override TestEnvironment RequireEnvironment() => TestEnvironment.RequireSsh();

    private protected override string Folder => "configrepo-ssh-tests";

    [TestMethod]
    public void With_the_deploy_key_a_shallow_clone_over_ssh_is_committed_to_and_pushed()
    {
        var before = Tip();
        bool shallow = false;
        var change = ReplaceManifest(() => shallow = File.Exists(Path.Combine(Directory.GetDirectories(WorkDirectory, "gitops-config-*").Single(), ConfigRepositoryClone.GitDirectoryName, "shallow")));

        var result = Writer(DeployKey).Commit(Request(SshUrl), change);

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(NewManifest.TrimEnd('\n'), Git("show", $"main:{WebManifest}"));
        Assert.IsTrue(shallow, "depth 1 over SSH, as over HTTP");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_key_and_known_hosts_given_as_content_work_and_leave_no_file_behind()
    {
        var key = File.ReadAllText(environment.SshDeployKey);
        string? config = null;
        var filesDuringApply = Array.Empty<string>();
        var change = ReplaceManifest(() =>
        {
            var clone = Directory.GetDirectories(WorkDirectory, "gitops-config-*").Single();
            config = File.ReadAllText(Path.Combine(clone, ConfigRepositoryClone.GitDirectoryName, "config"));
            // Besides the clone only the shared connection's socket directory (SshConnectionShare).
            filesDuringApply = Directory.GetFiles(WorkDirectory, "*", SearchOption.AllDirectories)
                .Where(path => !path.StartsWith(clone, StringComparison.Ordinal) && !path.Contains("/gitops-ssh-mux-", StringComparison.Ordinal)).ToArray();
        });

        var result = Writer(new SshSettings { Key = key, KnownHosts = File.ReadAllText(environment.SshKnownHosts) }).Commit(Request(SshUrl), change);

        Assert.AreEqual(Tip(), result.CommitSha);
        CollectionAssert.AreEqual(Array.Empty<string>(), filesDuringApply, "between clone and push no key file exists");
        StringAssert.Contains(config, "url = " + PrivateScheme.Wrap("ssh", ConfigRepositoryLocation.Parse(SshUrl).DisplayUrl));
        Assert.IsFalse(config!.Contains("PRIVATE KEY", StringComparison.Ordinal));
        AssertNoClonesLeft();
        Assert.IsFalse(string.Join("\n", log.Important.Concat(log.Detail)).Contains(KeyBody(key), StringComparison.Ordinal));
    }

    [TestMethod]
    public void The_push_reuses_the_clones_ssh_login_and_the_shared_connection_ends_with_the_write_back()
    {
        string? socket = null;
        var masterAlive = false;
        var change = ReplaceManifest(() =>
        {
            socket = Directory.GetFiles(WorkDirectory, "c", SearchOption.AllDirectories).SingleOrDefault();
            masterAlive = socket is not null && SshProcessesWith(socket).Any();
        });

        var result = Writer(DeployKey).Commit(Request(SshUrl), change);

        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.IsNotNull(socket, "the clone's ssh left a connection to share");
        Assert.IsTrue(masterAlive, "its master ran between clone and push");
        Assert.IsFalse(SshProcessesWith(socket).Any(), "the master exited with the write-back");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void An_scp_style_address_is_relative_to_the_login_home()
    {
        var result = Writer(DeployKey).Commit(Request(environment.ScpRepositoryUrl(repository.Name)), ReplaceManifest());

        Assert.AreEqual(Tip(), result.CommitSha);
    }

    [TestMethod]
    public void A_tilde_path_in_an_ssh_URL_is_sent_as_home_relative_as_git_sends_it()
    {
        var url = $"ssh://gitops@127.0.0.1:2222/~/{repository.Name}.git";

        var result = Writer(DeployKey).Commit(Request(url), ReplaceManifest());

        Assert.AreEqual(Tip(), result.CommitSha);
    }

    [TestMethod]
    public void A_push_race_over_ssh_is_retried_from_a_fresh_clone()
    {
        var change = ReplaceManifest(application =>
        {
            if (application == 1)
                PushCompetingCommit();
        });

        var result = Writer(DeployKey).Commit(Request(SshUrl), change);

        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.AreEqual("3", Git("rev-list", "--count", "main"), "seed, competitor, ours: linear");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void An_unknown_host_key_is_GITOPS080_and_never_accepted()
    {
        var knownHosts = Path.GetTempFileName();
        try
        {
            var error = Fail(new SshSettings { Key = environment.SshDeployKey, KnownHosts = knownHosts });

            Assert.AreEqual(Errors.SshHostKeyUnknown.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, "host key is known for [127.0.0.1]:2222");
            StringAssert.Contains(error.Message, "GITOPS_SSH_KNOWN_HOSTS");
            Assert.AreEqual("", File.ReadAllText(knownHosts), "StrictHostKeyChecking=yes: nothing was added");
        }
        finally
        {
            File.Delete(knownHosts);
        }
    }

    [TestMethod]
    public void A_changed_host_key_is_GITOPS081()
    {
        var error = Fail(new SshSettings { Key = environment.SshDeployKey, KnownHosts = environment.SshWrongKnownHosts });

        Assert.AreEqual(Errors.SshHostKeyChanged.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "has changed");
    }

    [TestMethod]
    public void A_key_the_server_does_not_know_is_GITOPS082_with_ssh_own_line()
    {
        var error = Fail(new SshSettings { Key = File.ReadAllText(environment.SshOtherKey), KnownHosts = environment.SshKnownHosts });

        Assert.AreEqual(Errors.SshKeyRefused.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "Permission denied (publickey)");
        Assert.IsFalse(error.ToString().Contains(KeyBody(File.ReadAllText(environment.SshOtherKey)), StringComparison.Ordinal));
    }

    [TestMethod]
    public void A_missing_repository_is_GITOPS083()
    {
        var error = Fail(DeployKey, SshUrl.Replace(".git", "-missing.git", StringComparison.Ordinal));

        Assert.AreEqual(Errors.SshRepositoryNotFound.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "does not appear to be a git repository");
    }

    [TestMethod]
    public void A_read_only_key_clones_but_its_push_is_GITOPS084_and_nothing_lands()
    {
        var change = ReplaceManifest();

        var error = Fail(new SshSettings { Key = environment.SshReadonlyKey, KnownHosts = environment.SshKnownHosts }, change: change);

        Assert.AreEqual(Errors.SshPushRefused.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "marked as read only");
        Assert.AreEqual(1, change.Applications, "the clone worked; the refusal is not retried");
    }

    [TestMethod]
    public void A_branch_that_does_not_exist_is_GITOPS022_after_listing_the_branches_over_ssh()
    {
        var error = Fail(DeployKey, request: ConfigRepositoryWriterTests.Request(SshUrl, "release"));

        Assert.AreEqual(Errors.ConfigBranchMissing.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "'release'");
    }

    [TestMethod]
    public void A_repository_without_commits_is_GITOPS026_over_ssh()
    {
        var empty = repository.Name + "-empty";
        environment.CreateBareRepository(empty);
        try
        {
            var error = Fail(DeployKey, environment.SshRepositoryUrl(empty));

            Assert.AreEqual(Errors.ConfigRepositoryEmpty.Code, error.Code, error.Message);
        }
        finally
        {
            TempDirectory.TryDelete(Path.Combine(environment.GitProjectRoot, empty + ".git"));
        }
    }

    [TestMethod]
    public void No_ssh_program_is_GITOPS085()
    {
        var error = Fail(DeployKey with { Program = "/nonexistent/bin/ssh" });

        Assert.AreEqual(Errors.SshClientMissing.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "/nonexistent/bin/ssh");
    }

    [TestMethod]
    public void A_server_that_never_answers_ends_at_the_deadline_and_its_ssh_process_is_killed()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var url = $"ssh://gitops@127.0.0.1:{port}/silent.git";
        var writer = new ConfigRepositoryWriter(null, log,
            new ConfigWriterOptions { WorkDirectory = WorkDirectory, PushRetries = 0, Timeout = TimeSpan.FromSeconds(2), Transports = TestTransports.With(ssh: DeployKey) }, Backoff.None);
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsExactly<GitOpsException>(() => writer.Commit(Request(url), ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code, error.Message);
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.IsFalse(SshProcessesFor(port).Any(), "no ssh left running");
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void Cancelling_while_ssh_waits_stops_at_once_and_kills_it()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var writer = new ConfigRepositoryWriter(null, log,
            new ConfigWriterOptions { WorkDirectory = WorkDirectory, PushRetries = 0, Timeout = TimeSpan.FromMinutes(5), Transports = TestTransports.With(ssh: DeployKey) }, Backoff.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsExactly<OperationCanceledException>(() =>
            writer.Commit(Request($"ssh://gitops@127.0.0.1:{port}/silent.git"), ReplaceManifest(), cancellationToken: cancellation.Token));

        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.IsFalse(SshProcessesFor(port).Any(), "no ssh left running");
        AssertNoClonesLeft();
    }

    private GitOpsException Fail(SshSettings ssh, string? url = null, FunctionChange? change = null, ConfigCommitRequest? request = null)
    {
        var before = Tip();
        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(ssh).Commit(request ?? Request(url ?? SshUrl), change ?? ReplaceManifest()));
        TestContext.WriteLine(error.Message);
        Assert.AreEqual(before, Tip(), "nothing pushed");
        AssertNoClonesLeft();
        return error;
    }

    private ConfigRepositoryWriter Writer(SshSettings ssh) =>
        new(null, log, new ConfigWriterOptions { WorkDirectory = WorkDirectory, PushRetries = 3, Transports = TestTransports.With(ssh: ssh) }, Backoff.None);

    private static ConfigCommitRequest Request(string url) => ConfigRepositoryWriterTests.Request(url);

    /// <summary>The base64 body of a private key: what must never be printed.</summary>
    internal static string KeyBody(string key) => key.Split('\n')[1].Trim();

    private static IEnumerable<int> SshProcessesFor(int port) => SshProcessesWith(port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>ssh processes with an argument that contains <paramref name="text"/> (a port, a control socket).</summary>
    private static IEnumerable<int> SshProcessesWith(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => (directory, pid: int.TryParse(Path.GetFileName(directory), out var pid) ? pid : 0))
            .Where(entry => entry.pid > 0)
            .Where(entry =>
            {
                try
                {
                    var commandLine = File.ReadAllText(Path.Combine(entry.directory, "cmdline")).Split('\0');
                    return Path.GetFileName(commandLine[0]) == "ssh" && commandLine.Any(argument => argument.Contains(text, StringComparison.Ordinal))
                        || commandLine[0].StartsWith("ssh: " + text, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .Select(entry => entry.pid);
}
