using GitOps.Build.Ci;

namespace GitOps.Build.Tasks;

/// <summary>Commits the image reference into the config repository's manifests and pushes it.</summary>
public sealed partial class UpdateConfigRepository : ConfigInputsTask
{
    protected override void ExecuteCore()
    {
        var registered = FindInputs();
        var inputs = registered.Inputs;
        var request = inputs.Request(new ImageText(Image, ImageDigest, SourceCommit, SourceRepositoryUrl, ProjectPath).Facts(inputs, GetEnvironmentVariable));
        using var prefetch = registered.TakePrefetch();
        var (result, outcome) = Deploy([request], inputs, prefetch);
        // The outputs first: whatever happens to the files below, MSBuild and the caller learn what was deployed.
        ConfigCommit = result.CommitSha ?? "";
        ResolvedConfigBranch = result.Branch;
        PullRequestUrl = outcome.PullRequest?.Url ?? "";
        PullRequestNumber = outcome.PullRequest?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (inputs.ResultFile is { } resultFile)
            new CiOutputWriter(GetEnvironmentVariable, BuildLog).Write(outcome, resultFile);
    }
}
