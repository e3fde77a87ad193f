using GitOps.Build.ConfigRepo.Http;
using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitCredentials = GitOps.Build.ConfigRepo.GitCredentials;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The write-back over smart HTTP with basic auth (nginx + git-http-backend from build/env/start.sh):
/// shallow clone, token auth, and the server's own refusals. Inconclusive without that server (fails when CI=true).
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class ConfigRepositoryWriterHttpTests : ServedWriterTests
{
    private string RepositoryUrl => repository.Url(environment.GitHttpBase);

    private protected override TestEnvironment RequireEnvironment() => TestEnvironment.Require();

    private protected override string Folder => "configrepo-tests";

    [TestMethod]
    public void With_the_token_a_shallow_clone_is_committed_to_and_pushed()
    {
        var before = Tip();
        var shallow = false;
        string? config = null;
        var change = ReplaceManifest(() =>
        {
            var clone = Directory.GetDirectories(WorkDirectory).Single();
            shallow = File.Exists(Path.Combine(clone, ConfigRepositoryClone.GitDirectoryName, "shallow"));
            config = File.ReadAllText(Path.Combine(clone, ConfigRepositoryClone.GitDirectoryName, "config"));
        });

        var result = Writer(new GitCredentials(environment.GitUsername, environment.GitToken)).Commit(Request(), change);

        Assert.IsTrue(result.Committed);
        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.AreEqual(before, result.PreviousTipSha);
        Assert.AreEqual(NewManifest.TrimEnd('\n'), Git("show", $"main:{WebManifest}"));
        Assert.IsTrue(shallow, "depth 1 over HTTP");
        Assert.IsFalse(config!.Contains(environment.GitToken, StringComparison.Ordinal), config);
        AssertNoClonesLeft();
        foreach (var line in log.Important)
            TestContext.WriteLine(line);
    }

    [TestMethod]
    public void Credentials_embedded_in_the_URL_work_and_stay_out_of_the_clone()
    {
        string? config = null;
        var change = ReplaceManifest(() => config = File.ReadAllText(Path.Combine(Directory.GetDirectories(WorkDirectory).Single(), ConfigRepositoryClone.GitDirectoryName, "config")));
        var url = RepositoryUrl.Replace("http://", $"http://{environment.GitUsername}:{Uri.EscapeDataString(environment.GitToken)}@", StringComparison.Ordinal);

        var result = Writer(null).Commit(Request(url), change);

        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.IsFalse(config!.Contains(environment.GitToken, StringComparison.Ordinal), config);
        // The clone reaches the server through our transport's private scheme, which wraps the URL as shown, without credentials.
        StringAssert.Contains(config, "url = " + PrivateScheme.Wrap("http", RepositoryUrl));
    }

    [TestMethod]
    public void A_wrong_token_fails_with_GITOPS020_and_leaves_the_repository_unchanged()
    {
        var before = Tip();
        const string wrongToken = "wrong-token-0123456789";

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(new GitCredentials(environment.GitUsername, wrongToken)).Commit(Request(), ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigAuthenticationFailed.Code, error.Code);
        Assert.IsFalse(error.ToString().Contains(wrongToken, StringComparison.Ordinal));
        Assert.AreEqual(before, Tip());
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void No_token_for_a_protected_server_fails_with_GITOPS020()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Writer(null).Commit(Request(), ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigAuthenticationFailed.Code, error.Code);
        StringAssert.Contains(error.Message, "GITOPS_TOKEN");
    }

    [TestMethod]
    public void A_read_only_token_fails_on_push_with_GITOPS028()
    {
        var before = Tip();
        var change = ReplaceManifest();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(new GitCredentials(environment.GitReaderUsername, environment.GitReaderToken)).Commit(Request(), change));

        Assert.AreEqual(Errors.ConfigAccessForbidden.Code, error.Code, error.ToString());
        Assert.AreEqual(1, change.Applications, "the clone worked; the push was refused and not retried");
        Assert.AreEqual(before, Tip());
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_missing_repository_fails_with_GITOPS024()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(new GitCredentials(environment.GitUsername, environment.GitToken)).Commit(Request(RepositoryUrl.Replace(".git", "-missing.git", StringComparison.Ordinal)), ReplaceManifest()));

        Assert.AreEqual(Errors.ConfigRepositoryNotFound.Code, error.Code, error.ToString());
        AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_push_refused_by_a_server_hook_fails_with_GITOPS023_and_the_server_message()
    {
        var hook = Path.Combine(repository.Path, "hooks", "pre-receive");
        ShellScript.Write(hook, "#!/bin/sh\necho 'main is frozen for the release' >&2\nexit 1\n");
        var before = Tip();
        var change = ReplaceManifest();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Writer(new GitCredentials(environment.GitUsername, environment.GitToken)).Commit(Request(), change));

        Assert.AreEqual(Errors.ConfigPushRejected.Code, error.Code, error.ToString());
        StringAssert.Contains(error.Message, "'main'");
        Assert.AreEqual(1, change.Applications, "a refusal is not a race: no retry");
        Assert.AreEqual(before, Tip());
    }

    [TestMethod]
    public void A_push_race_over_HTTP_fetches_the_new_tip_into_the_shallow_clone_instead_of_cloning_again()
    {
        var clones = new HashSet<string>();
        string? shallowOnRetry = null;
        var change = ReplaceManifest(application =>
        {
            var clone = Directory.GetDirectories(WorkDirectory).Single();
            clones.Add(clone);
            if (application == 1)
                PushCompetingCommit();
            else
                shallowOnRetry = File.ReadAllText(Path.Combine(clone, ConfigRepositoryClone.GitDirectoryName, "shallow")).Trim();
        });

        var result = Writer(new GitCredentials(environment.GitUsername, environment.GitToken)).Commit(Request(), change);

        Assert.AreEqual(2, result.Attempts);
        Assert.AreEqual(Tip(), result.CommitSha);
        Assert.AreEqual("3", Git("rev-list", "--count", "main"), "seed, competitor, ours: linear");
        Assert.AreEqual("", Git("rev-list", "--merges", "main"));
        Assert.AreEqual(1, clones.Count, "one clone for both rounds");
        Assert.AreEqual(result.PreviousTipSha, shallowOnRetry, "still a depth-1 clone, now at the competitor's tip");
        Assert.AreEqual(1, log.Important.Count(line => line.StartsWith("GitOps: fetched ", StringComparison.Ordinal)));
        Assert.AreEqual("", GitCli.Run(repository.Path, "fsck", "--no-dangling"), "the server's repository is sound");
        AssertNoClonesLeft();
    }

    private ConfigRepositoryWriter Writer(GitCredentials? credentials) =>
        new(credentials, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = WorkDirectory, PushRetries = 3 }, Backoff.None);

    private ConfigCommitRequest Request(string? url = null) => ConfigRepositoryWriterTests.Request(url ?? RepositoryUrl);
}
