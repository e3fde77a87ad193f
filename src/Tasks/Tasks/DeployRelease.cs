using System.Diagnostics;
using System.Globalization;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// In a solution or traversal project, after every project was published (MSBuild runs it only if all of them
/// succeeded, so an image that failed to push means no commit): deploys the images the projects left in the release
/// directory, one commit per (config repository, branch), and deletes the directory. With GitOpsWaitForDeploy it then
/// ends each commit as a single deploy does: its pull request's merge (GitOpsPullRequest), the agent's verdict, and
/// with GitOpsRollbackOnFailure the revert of a failed commit (<see cref="GitOpsTask.Conclude"/>).
/// </summary>
public sealed partial class DeployRelease : GitOpsTask
{
    protected override void ExecuteCore()
    {
        try
        {
            Release();
        }
        finally
        {
            TempDirectory.TryDelete(ReleaseDirectory);
        }
    }

    private void Release()
    {
        var entries = ReleaseEntryFile.ReadAll(ReleaseDirectory);
        if (entries.Count == 0)
        {
            BuildLog.Warning(Errors.ReleaseEmpty, ReleaseProject ?? "the solution");
            return;
        }

        // Every entry is checked, and every group agrees, before anything is cloned: a release is refused whole. The
        // projects may have built in other nodes, so each entry's inputs are parsed here, once.
        var parsed = entries.Select(entry => (Entry: entry, Inputs: Parse(entry))).ToList();
        var groups = parsed
            .Select(e => (e.Entry, e.Inputs, Request: e.Inputs.Request(e.Entry.Image.Facts(e.Inputs, GetEnvironmentVariable))))
            .GroupBy(e => (e.Inputs.Repository.DisplayUrl, Branch: e.Inputs.Branch ?? ""))
            .Select(group => group.ToList())
            .ToList();
        foreach (var group in groups)
        {
            Agree(group, "GitOpsCommitSigningFormat", e => e.Inputs.Signing?.Format);
            Agree(group, "GitOpsCommitSigningKey", e => e.Entry.Inputs.CommitSigningKey?.Trim());
            Agree(group, "GitOpsPushRetries", e => e.Inputs.PushRetries.ToString(CultureInfo.InvariantCulture));
            Agree(group, "GitOpsConfigTimeout", e => e.Inputs.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            Agree(group, "GitOpsConfigRepository", e => e.Entry.Inputs.ConfigRepository?.Trim());
            Agree(group, "GitOpsCommitMethod", e => e.Inputs.CommitMethod.ToString());
            Agree(group, "GitOpsPullRequest", e => e.Entry.Inputs.PullRequest?.Trim());
            Agree(group, "GitOpsForge", e => e.Entry.Inputs.Forge?.Trim());
            Agree(group, "GitOpsForgeApiUrl", e => e.Entry.Inputs.ForgeApiUrl?.Trim());
            Agree(group, "GitOpsPullRequestTitle", e => e.Entry.Inputs.PullRequestTitle?.Trim());
            Agree(group, "GitOpsPullRequestLabels", e => e.Entry.Inputs.PullRequestLabels?.Trim());
            Agree(group, "GitOpsPullRequestDraft", e => e.Entry.Inputs.PullRequestDraft?.Trim());
            Agree(group, "GitOpsPullRequestReviewers", e => e.Entry.Inputs.PullRequestReviewers?.Trim());
            Agree(group, "GitOpsPullRequestAutoMerge", e => e.Entry.Inputs.PullRequestAutoMerge?.Trim());
            Agree(group, "GitOpsPullRequestMergeMethod", e => e.Entry.Inputs.PullRequestMergeMethod?.Trim());
            Agree(group, "GitOpsPullRequestSupersede", e => e.Entry.Inputs.PullRequestSupersede?.Trim());
            Agree(group, "GitOpsWaitForDeploy", e => e.Inputs.Wait is null ? "false" : "true");
            Agree(group, "GitOpsRollbackOnFailure", e => e.Inputs.RollbackOnFailure ? "true" : "false");
        }
        BuildLog.Important(Messages.ReleaseDeploying(entries.Count, groups.Count));

        var waits = new List<Landing>();
        var commits = new List<string>();
        var branches = new List<string>();
        var pullRequests = new List<PullRequestReport>();
        foreach (var group in groups)
        {
            CancelledWhat = group[0].Inputs.Repository.DisplayUrl;
            var (result, outcome) = Deploy(group.Select(e => e.Request).ToList(), group[0].Inputs, prefetch: null);
            commits.Add(result.CommitSha ?? "");
            branches.Add(result.Branch);
            ConfigCommits = string.Join(';', commits.Where(c => c.Length > 0));
            ConfigBranches = string.Join(';', branches);
            if (outcome.PullRequest is { } pullRequest) pullRequests.Add(pullRequest);
            PullRequestUrl = string.Join(';', pullRequests.Select(p => p.Url));
            PullRequestNumber = string.Join(';', pullRequests.Select(p => p.Number.ToString(CultureInfo.InvariantCulture)));
            // Every project's result file lists the whole release; the CI outputs are written once per commit.
            var writer = new CiOutputWriter(GetEnvironmentVariable, BuildLog);
            var resultFiles = group.Select(e => e.Inputs.ResultFile).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (resultFiles.Count > 0)
                writer.Write(outcome, resultFiles[0]);
            foreach (var file in resultFiles.Skip(1))
                writer.WriteResultFile(outcome, file);
            if (result.CommitSha is { } commit && WaitOptions(group) is { } wait)
                waits.Add(new Landing(new DeployWaitRequest(group[0].Inputs.Repository, result.Branch, commit, wait), Stopwatch.StartNew(),
                    group[0].Inputs, resultFiles, group[0].Inputs.PullRequest is null ? null : outcome.PullRequest));
        }

        // Every commit was pushed. Under GitOpsPullRequest each lands when its pull request is merged: every merge is
        // waited for first, each wait then counting from its own merge, on the commit the merge made.
        var landed = new List<Landing>();
        foreach (var wait in waits)
        {
            if (wait.PullRequest is not { } pullRequest)
            {
                landed.Add(wait);
                continue;
            }
            CancelledWhat = wait.Request.Repository.DisplayUrl;
            try
            {
                var (merge, baseBranch) = WaitForMerge(wait.Inputs, wait.Request.Options, pullRequest.Number, pullRequest.Url, wait.Request.Branch, wait.Request.Commit);
                landed.Add(wait with { Request = wait.Request with { Commit = merge, Branch = baseBranch }, SinceLanded = Stopwatch.StartNew() });
            }
            catch (GitOpsException e) when (e.Code != Errors.WaitCancelled.Code)
            {
                // Not merged (GITOPS165, GITOPS166): nothing of it reached the agent; the other pull requests are still waited for.
                LogError(e);
            }
        }

        // Now the agent's verdict on each landed commit, each timed from its own landing; with GitOpsRollbackOnFailure a
        // failed commit is reverted, as a single deploy's is (one revert for the whole commit).
        var verdicts = new List<string>();
        foreach (var (request, sinceLanded, inputs, resultFiles, _) in landed)
        {
            CancelledWhat = request.Repository.DisplayUrl;
            var (outcome, error) = Conclude(request, inputs, sinceLanded, resultFiles);
            verdicts.Add(outcome.StateName);
            DeployVerdict = string.Join(';', verdicts);
            if (error is not null)
                LogError(error);
        }
    }

    /// <summary>A release commit that was pushed, and what its wait needs; <paramref name="PullRequest"/> under GitOpsPullRequest.</summary>
    private sealed record Landing(DeployWaitRequest Request, Stopwatch SinceLanded, ConfigInputs Inputs, List<string> ResultFiles, PullRequestReport? PullRequest);

    /// <summary>
    /// A commit's wait, when its projects set GitOpsWaitForDeploy: every application and context any of them watches,
    /// within the longest GitOpsWaitTimeout (GitOpsForge and GitOpsForgeApiUrl agree already).
    /// </summary>
    private static DeployWaitOptions? WaitOptions(List<(ReleaseEntry Entry, ConfigInputs Inputs, DeploymentRequest Request)> group)
    {
        var all = group.Select(e => e.Inputs.Wait).OfType<DeployWaitOptions>().ToList();
        return all.Count == 0 ? null : all[0] with
        {
            StatusContexts = [.. all.SelectMany(w => w.StatusContexts).DistinctBy(p => p.Text, StringComparer.OrdinalIgnoreCase)],
            ArgoCdApplications = [.. all.SelectMany(w => w.ArgoCdApplications).Distinct()],
            ArgoCdRefresh = all.Any(w => w.ArgoCdRefresh),
            Timeout = all.Max(w => w.Timeout),
        };
    }

    private ConfigInputs Parse(ReleaseEntry entry) =>
        ConfigInputs.Read(entry.Inputs, GetEnvironmentVariable, out var problems) ?? throw problems[0];

    private static void Agree(List<(ReleaseEntry Entry, ConfigInputs Inputs, DeploymentRequest Request)> group, string property, Func<(ReleaseEntry Entry, ConfigInputs Inputs, DeploymentRequest Request), string?> value)
    {
        var values = group.GroupBy(e => value(e) ?? "", StringComparer.Ordinal).ToList();
        if (values.Count > 1)
            throw new GitOpsException(Errors.ReleaseDisagrees, group[0].Inputs.Repository.DisplayUrl,
                $"{property} differs: " + string.Join("; ", values.Select(g => $"'{(property == "GitOpsConfigRepository" ? UrlRedactor.Redact(g.Key) : g.Key)}' in {string.Join(", ", g.Select(e => e.Entry.Image.ProjectPath))}")));
    }
}
