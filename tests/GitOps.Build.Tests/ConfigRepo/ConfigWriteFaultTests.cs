using System.Text;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Deploy;
using GitOps.Build.Tests.Infrastructure;
using GitCredentials = GitOps.Build.ConfigRepo.GitCredentials;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// A deploy against the real HTTP git server while things go wrong: outages, a connection dropped mid-push, refusals.
/// Each ends in a GITOPS error or a success after retries, with the config repository holding the whole commit once or
/// not at all. Not parallel: stopping the server would break the other HTTP tests.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[TestCategory("ServerFaults")]
[DoNotParallelize]
public sealed class ConfigWriteFaultTests
{
    private const string ManifestPath = "apps/app/deployment.yaml";
    private const string OldImage = "registry.example.com/team/app:initial";
    private const string NewImage = "registry.example.com/team/app:v2";

    private TestEnvironment environment = null!;
    private string repositoryName = null!;
    private string workDirectory = null!;
    private string before = null!;

    public TestContext TestContext { get; set; } = null!;

    private string RepositoryPath => Path.Combine(environment.GitProjectRoot, repositoryName + ".git");

    private string RepositoryUrl => environment.RepositoryUrl(repositoryName);

    private GitCredentials Writer => new(environment.GitUsername, environment.GitToken);

    [TestInitialize]
    public void CreateRepository()
    {
        environment = TestEnvironment.Require();
        repositoryName = "fault-tests/" + Path.GetFileName(TempDirectory.NewPath(null, "config-"));
        workDirectory = TempDirectory.NewPath(null, "gitops-fault-work-");
        var seed = Path.Combine(workDirectory, "seed");
        Directory.CreateDirectory(Path.Combine(seed, "apps", "app"));
        File.WriteAllText(Path.Combine(seed, ManifestPath), TestManifest.Deployment(OldImage));
        environment.CreateBareRepository(repositoryName, seed);
        Directory.Delete(seed, recursive: true);
        before = Tip();
    }

    [TestCleanup]
    public void Cleanup()
    {
        if (environment is null) return;
        StartServer();
        TempDirectory.TryDelete(RepositoryPath);
        TempDirectory.TryDelete(workDirectory);
    }

    [TestMethod]
    public void A_server_down_before_the_clone_is_retried_and_the_deploy_lands_when_it_is_back()
    {
        StopServer();
        var log = new RecordingLog { OnLine = line => { if (line.Contains("is unreachable", StringComparison.Ordinal)) StartServer(); } };

        var result = Deploy(log, Writer);

        Assert.IsTrue(result.Committed, string.Join("\n", log.Important));
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(1, Count(log, "is unreachable"));
        AssertDeployedOnce(result.CommitSha!);
        Report(log, result.Attempts);
    }

    [TestMethod]
    public void A_server_that_stays_down_fails_with_GITOPS021_after_every_attempt()
    {
        StopServer();
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(log, Writer, retries: 2));

        Assert.AreEqual(Errors.ConfigServerUnreachable.Code, error.Code, error.ToString());
        Assert.AreEqual(2, Count(log, "is unreachable"), "three attempts: two retries, then the error");
        AssertUnchanged();
    }

    /// <summary>
    /// The server dies while a hook runs inside the push: in pre-receive nothing has landed yet; after the
    /// reference-transaction hook's "committed" the branch has moved but the client never hears so.
    /// </summary>
    [TestMethod]
    [DataRow("pre-receive", "", false)]
    [DataRow("reference-transaction", "[ \"$1\" = committed ] || exit 0\n", true)]
    public void A_connection_dropped_mid_push_is_retried_and_the_commit_lands_exactly_once(string hook, string guard, bool landedBeforeTheDrop)
    {
        var started = Path.Combine(workDirectory, "hook-started");
        // Only the first push waits (and is cut off); the retry goes straight through.
        InstallHook(hook, $"{guard}[ -e '{started}' ] && exit 0\ntouch '{started}'\nsleep 60\n");
        var log = new RecordingLog { OnLine = line => { if (line.Contains("is unreachable", StringComparison.Ordinal)) StartServer(); } };

        var deploy = Task.Run(() => Deploy(log, Writer));
        while (!File.Exists(started) && !deploy.IsCompleted) Thread.Sleep(50);
        Assert.IsTrue(File.Exists(started), "the push never reached the hook: " + (deploy.Exception?.ToString() ?? ""));
        Assert.AreEqual(landedBeforeTheDrop ? 1 : 0, NewCommits(), "the branch as the hook runs");
        KillServer();
        var result = deploy.GetAwaiter().GetResult();

        Assert.IsTrue(result.Committed, string.Join("\n", log.Important));
        Assert.AreEqual(1, Count(log, "was interrupted"), string.Join("\n", log.Important));
        Assert.AreEqual(landedBeforeTheDrop ? 1 : 0, Count(log, "had landed"));
        AssertDeployedOnce(result.CommitSha!);
        Report(log, result.Attempts);
    }

    /// <summary>
    /// A push lands while the server advertises its refs: git upload-pack reads HEAD, then the branches, so HEAD names the
    /// previous tip and refs/heads/main the new one. The depth-1 clone of the default branch gets only the new tip, and
    /// libgit2 fails to find the commit HEAD named ("object not found"). That window is microseconds wide (a loop of clones
    /// against two pushers hit it 3 times in 1,500), so these tests hold it open: HEAD detached at the previous tip makes
    /// the server advertise the same thing on every clone, until the test re-attaches HEAD.
    /// </summary>
    [TestMethod]
    public void A_clone_that_races_a_push_to_the_default_branch_is_retried_from_a_fresh_clone()
    {
        AdvertiseHeadBehindTheBranch();
        var log = new RecordingLog { OnLine = line => { if (line.Contains("was being cloned", StringComparison.Ordinal)) Git("symbolic-ref", "HEAD", "refs/heads/main"); } };

        var result = Deploy(log, Writer);

        Assert.IsTrue(result.Committed, string.Join("\n", log.Important));
        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(1, Count(log, "object not found"), string.Join("\n", log.Important));
        AssertDeployedOnce(result.CommitSha!);
        Report(log, result.Attempts);
    }

    [TestMethod]
    public void A_clone_that_keeps_racing_fails_with_GITOPS027_after_the_retries()
    {
        AdvertiseHeadBehindTheBranch();
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(log, Writer, retries: 2));

        Assert.AreEqual(Errors.ConfigGitFailed.Code, error.Code, error.ToString());
        StringAssert.Contains(error.Message, "object not found");
        Assert.AreEqual(2, Count(log, "was being cloned"), "three attempts: two retries, then the error");
        AssertUnchanged();
    }

    [TestMethod]
    [DataRow("wrong token", "GITOPS020")]
    [DataRow("read-only token", "GITOPS028")]
    [DataRow("missing repository", "GITOPS024")]
    [DataRow("missing branch", "GITOPS022")]
    [DataRow("pre-receive hook refuses", "GITOPS023")]
    public void A_refusal_is_not_retried_and_changes_nothing(string fault, string code)
    {
        GitCredentials credentials = Writer;
        string? url = null, branch = null;
        switch (fault)
        {
            case "wrong token": credentials = new GitCredentials(environment.GitUsername, "wrong-" + Guid.NewGuid().ToString("N")); break;
            case "read-only token": credentials = new GitCredentials(environment.GitReaderUsername, environment.GitReaderToken); break;
            case "missing repository": url = RepositoryUrl.Replace(".git", "-missing.git", StringComparison.Ordinal); break;
            case "missing branch": branch = "release"; break;
            case "pre-receive hook refuses": InstallHook("pre-receive", "echo 'main is frozen' >&2\nexit 1\n"); break;
        }
        var log = new RecordingLog();

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(log, credentials, url: url, branch: branch));

        Assert.AreEqual(code, error.Code, error.ToString());
        Assert.AreEqual(0, Count(log, "retrying") + Count(log, "moved since"), string.Join("\n", log.Important));
        Assert.IsTrue(Count(log, "Cloned") <= 1, "at most the one clone");
        AssertUnchanged();
    }

    private ConfigCommitResult Deploy(RecordingLog log, GitCredentials credentials, int retries = 3, string? url = null, string? branch = null) =>
        new ConfigDeployer(credentials, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = workDirectory, PushRetries = retries, Timeout = TimeSpan.FromMinutes(2) })
            .Deploy(new DeploymentRequest(
                new DeploymentFacts(ImageReference.Parse(NewImage), null, null, null, null),
                ConfigRepositoryLocation.Parse(url ?? RepositoryUrl), branch, [new ManifestTarget(ManifestPath, new ManifestEditOptions())], null,
                "Bot", "bot@example.com", DryRun: false)).Result;

    /// <summary>Moves main one commit on and leaves HEAD detached at the commit before, as the racing advertisement shows them.</summary>
    private void AdvertiseHeadBehindTheBranch()
    {
        var next = Git("commit-tree", "main^{tree}", "-p", "main", "-m", "Another pipeline's deploy");
        Git("update-ref", "refs/heads/main", next);
        Git("update-ref", "--no-deref", "HEAD", before);
        before = next;
    }

    private void InstallHook(string name, string body)
    {
        var hook = Path.Combine(RepositoryPath, "hooks", name);
        ShellScript.Write(hook, "#!/bin/sh\n" + body);
    }

    private void StopServer() => ServerScript("stop");

    private void StartServer() => ServerScript("start");

    /// <summary>Fast shutdown (TERM) drops open connections at once; the script then stops fcgiwrap and the hook under it.</summary>
    private void KillServer()
    {
        var kill = ProcessRunner.Run("kill", ["-TERM", File.ReadAllText(environment.NginxPidFile).Trim()]);
        Assert.IsTrue(kill.Succeeded, kill.ToString());
        StopServer();
    }

    private void ServerScript(string command)
    {
        var result = ProcessRunner.Run(environment.GitServerScript, [command]);
        Assert.IsTrue(result.Succeeded, result.ToString());
    }

    private static int Count(RecordingLog log, string fragment) =>
        log.Important.Concat(log.Detail).Count(line => line.Contains(fragment, StringComparison.Ordinal));

    private string Git(params string[] arguments) => GitCli.Run(RepositoryPath, arguments);

    private string Tip() => Git("rev-parse", "refs/heads/main");

    private int NewCommits() => int.Parse(Git("rev-list", "--count", $"{before}..main"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One new commit, ours, holding the whole change; nothing else moved; no clone left behind.</summary>
    private void AssertDeployedOnce(string commit)
    {
        Assert.AreEqual(commit, Tip());
        Assert.AreEqual(1, NewCommits());
        Assert.AreEqual(before, Git("rev-parse", commit + "^"));
        Assert.AreEqual(TestManifest.Deployment(NewImage), Encoding.UTF8.GetString(GitCli.RunBytes(RepositoryPath, "show", $"main:{ManifestPath}")));
        Assert.AreEqual("", Git("for-each-ref", "--format=%(refname)", "refs/heads/", "--no-contains", "main").Trim(), "no other branch");
        AssertNoClonesLeft();
    }

    private void AssertUnchanged()
    {
        Assert.AreEqual(before, Tip());
        Assert.AreEqual("refs/heads/main", Git("for-each-ref", "--format=%(refname)", "refs/heads/").Trim());
        AssertNoClonesLeft();
    }

    private void AssertNoClonesLeft() =>
        Assert.AreEqual(0, Directory.Exists(workDirectory) ? Directory.GetDirectories(workDirectory).Length : 0, "temporary clones left");

    private void Report(RecordingLog log, int attempts)
    {
        TestContext.WriteLine($"{attempts} attempts");
        foreach (var line in log.Important) TestContext.WriteLine(line);
    }
}
