namespace GitOps.Build.Tasks;

/// <summary>Commits the image reference into the config repository's manifests and pushes it.</summary>
public sealed partial class UpdateConfigRepository : ConfigDeployTask
{
    protected override void ExecuteCore()
    {
        var registered = FindInputs();
        var inputs = registered.Inputs;
        var request = inputs.Request(new ImageText(Image, ImageDigest, SourceCommit, SourceRepositoryUrl, ProjectPath).Facts(inputs, GetEnvironmentVariable));
        using var prefetch = registered.TakePrefetch();
        Report(Deploy([request], inputs, prefetch), inputs);
    }
}
