using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// Base of the tasks that deploy one image to the config repository (<see cref="UpdateConfigRepository"/>,
/// <see cref="PromoteImage"/>): the outputs both give the targets, and the one way they and the result file are set.
/// </summary>
public abstract class ConfigDeployTask : ConfigInputsTask
{
    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    /// <summary>With GitOpsPullRequest: the pull request's web page and number (empty otherwise).</summary>
    [Output] public string PullRequestUrl { get; private set; } = "";

    [Output] public string PullRequestNumber { get; private set; } = "";

    /// <summary>
    /// The outputs first: whatever happens to the files after them, MSBuild and the caller learn what was deployed;
    /// then GitOpsResultFile and the CI outputs.
    /// </summary>
    private protected void Report(Deployment deployment, ConfigInputs inputs)
    {
        var (result, outcome) = deployment;
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        PullRequestUrl = outcome.PullRequest?.Url ?? "";
        PullRequestNumber = outcome.PullRequest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (inputs.ResultFile is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }
}
