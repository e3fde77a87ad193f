using System.Globalization;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tasks;

// Under GitOpsPullRequest the deploy commit waits on a branch: it reaches the watched branch when the pull request is merged.
public sealed partial class WaitForDeploy
{
    /// <summary>
    /// Waits (GitOpsWaitTimeout, Ctrl+C) for the pull request's merge through the forge's API with the pull-request work's
    /// credentials, and returns the commit the merge made on the base branch, and that branch. GITOPS165 when it is closed
    /// without a merge, GITOPS166 when it is not merged in time.
    /// </summary>
    private (string Commit, string Branch) WaitForMerge(ConfigInputs inputs, DeployWaitOptions options, string number, string pushed)
    {
        var http = HttpTransportSettings.FromEnvironment(GetEnvironmentVariable);
        var repository = ForgeRepository.Parse(inputs.Repository, inputs.PullRequest!.Forge, inputs.PullRequest.ApiUrl);
        // The wait's own bound ends first (GITOPS166); this one only keeps a rate-limit wait inside it.
        var deadline = new Deadline(options.Timeout + TimeSpan.FromMinutes(1), CancellationToken);
        var access = ForgeAccess.Resolve(repository, GetEnvironmentVariable, http, deadline, BuildLog);
        using var client = ForgeClients.Connect(repository, access.Api, http, deadline, BuildLog);
        try
        {
            var baseBranch = client.CheckAccessAsync(inputs.Branch, CancellationToken).GetAwaiter().GetResult();
            var pullRequest = new PullRequest(long.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture), Blank(PullRequestUrl) ?? "",
                Blank(DeployBranch) ?? "", baseBranch, "", "");
            var merged = new PullRequestMergeWaiter(client, WaitPolicy.For(options.Timeout), BuildLog)
                .WaitAsync(pullRequest, CancellationToken).GetAwaiter().GetResult();
            return (merged, baseBranch);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new GitOpsException(Errors.WaitCancelled, pushed[..Math.Min(7, pushed.Length)], $"'{Blank(DeployBranch)}' of {inputs.Repository.DisplayUrl}");
        }
    }
}
