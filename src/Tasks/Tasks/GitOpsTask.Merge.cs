using System.Globalization;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

// Under GitOpsPullRequest the deploy commit waits on a branch: it reaches the watched branch when the pull request is
// merged. Shared by the single deploy (WaitForDeploy) and the release (DeployRelease, one pull request per commit).
public abstract partial class GitOpsTask
{
    /// <summary>
    /// Waits (GitOpsWaitTimeout, Ctrl+C) for pull request <paramref name="number"/>'s merge through the forge's API with
    /// the pull-request work's credentials, and returns the commit the merge made on the base branch, and that branch.
    /// GITOPS165 when it is closed without a merge, GITOPS166 when it is not merged in time; Ctrl+C is GITOPS145 naming
    /// <paramref name="pushed"/>, the deploy commit on <paramref name="headBranch"/>.
    /// </summary>
    private protected (string Commit, string Branch) WaitForMerge(ConfigInputs inputs, DeployWaitOptions options, long number, string url,
        string headBranch, string pushed)
    {
        var http = inputs.Http;
        var repository = ForgeRepository.Parse(inputs.Repository, inputs.PullRequest!.Forge, inputs.PullRequest.ApiUrl);
        // The wait's own bound ends first (GITOPS166); this one only keeps a rate-limit wait inside it.
        var deadline = new Deadline(options.Timeout + TimeSpan.FromMinutes(1), CancellationToken);
        var access = ForgeAccess.Resolve(repository, GetEnvironmentVariable, http, deadline, BuildLog);
        using var client = ForgeClients.Connect(repository, access.Api, http, deadline, BuildLog);
        try
        {
            var baseBranch = client.CheckAccessAsync(inputs.Branch, CancellationToken).GetAwaiter().GetResult();
            var pullRequest = new PullRequest(number, url, headBranch, baseBranch, "", "");
            var merged = new PullRequestMergeWaiter(client, WaitPolicy.For(options.Timeout), BuildLog)
                .WaitAsync(pullRequest, CancellationToken).GetAwaiter().GetResult();
            return (merged, baseBranch);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new GitOpsException(Errors.WaitCancelled, Messages.ShortSha(pushed), $"'{headBranch}' of {inputs.Repository.DisplayUrl}");
        }
    }

    /// <summary>A pull request number as the deploy reported it ($(GitOpsPullRequestNumber)).</summary>
    private protected static long PullRequestNumberOf(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
