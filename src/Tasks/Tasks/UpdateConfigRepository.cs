using GitOps.Build.Ci;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Commits the image reference into the config repository's manifests and pushes it.</summary>
public sealed class UpdateConfigRepository : ConfigUpdateTask
{
    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";

    /// <summary>With GitOpsPullRequest: the pull request's web page and number (empty otherwise).</summary>
    [Output] public string PullRequestUrl { get; private set; } = "";

    [Output] public string PullRequestNumber { get; private set; } = "";

    protected override void ExecuteCore()
    {
        var inputs = Inputs();
        var (result, outcome) = Deploy([Request(inputs)], inputs);
        // The outputs first: whatever happens to the files below, MSBuild and the caller learn what was deployed.
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        PullRequestUrl = outcome.PullRequest?.Url ?? "";
        PullRequestNumber = outcome.PullRequest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (Blank(ResultFile) is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }
}
