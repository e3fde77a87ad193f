using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>
/// The pull request's merge on GitHub's contract (github/rest-api-description, pulls/get through Octokit): merged
/// (the merge_commit_sha on the base), closed without a merge, never merged in time. GitHub's statuses and check runs
/// are CommitStatusWaitTests'.
/// </summary>
[TestClass]
public sealed class GitHubMergeWaitTests
{
    private const string MergeCommit = "fedcba9876543210fedcba9876543210fedcba98";

    private static async Task<string> Wait(GitHubContract contract, RecordingLog log, TimeSpan? timeout = null)
    {
        var pull = contract.Seed("gitops/web-a1b2c3d", "main", "Deploy team/web:a1b2c3d", "Deploys.");
        var http = new ForgeHttp(
            new ForgeRepository(ForgeKind.GitHub, contract.Server.ApiRoot, contract.Owner, null, contract.Repository, "https://github.example/team/config.git"),
            new ForgeCredentials(GitHubContract.Token, ForgeCredentials.TokenVariable), HttpTransportSettings.Direct,
            new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), log);
        using var client = ForgeClients.Create(http);
        var found = await client.FindOpenPullRequestAsync("gitops/web-a1b2c3d", "main", CancellationToken.None);
        var policy = new WaitPolicy(timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromHours(1));
        Assert.AreEqual((long)pull["number"]!, found!.Number);
        return await new PullRequestMergeWaiter(client, policy, log).WaitAsync(found, CancellationToken.None);
    }

    [TestMethod]
    public async Task Auto_merge_after_two_reads_gives_the_merge_commit_sha()
    {
        using var contract = new GitHubContract();
        contract.ScriptPull(1, "open", "open", $"merged:{MergeCommit}");
        var log = new RecordingLog();

        var commit = await Wait(contract, log);

        Assert.AreEqual(MergeCommit, commit);
        Assert.AreEqual(3, contract.Server.RequestsTo("pulls/get").Count());
        Assert.IsTrue(log.Important.Any(line => line.EndsWith(": open → merged", StringComparison.Ordinal)), string.Join("\n", log.Important));
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task Closed_without_a_merge_is_GITOPS165()
    {
        using var contract = new GitHubContract();
        contract.ScriptPull(1, "open", "closed");

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, new RecordingLog()));

        Assert.AreEqual("GITOPS165", error.Code);
        StringAssert.Contains(error.Message, "https://github.example/team/config/pull/1");
        contract.Server.AssertHonoured();
    }

    [TestMethod]
    public async Task Never_merged_is_GITOPS166()
    {
        using var contract = new GitHubContract();

        var error = await Assert.ThrowsExactlyAsync<GitOpsException>(() => Wait(contract, new RecordingLog(), TimeSpan.FromMilliseconds(400)));

        Assert.AreEqual("GITOPS166", error.Code);
        StringAssert.Contains(error.Message, "still open");
        contract.Server.AssertHonoured();
    }
}
