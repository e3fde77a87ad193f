using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// In a project published as part of a release (a solution or traversal project that imports this package), takes
/// the place of <see cref="UpdateConfigRepository"/> once the image is pushed: checks the same inputs, then leaves them
/// in the release directory for <see cref="DeployRelease"/>, which commits every image of the release at once.
/// </summary>
public sealed partial class WriteReleaseEntry : ConfigInputsTask
{
    protected override void ExecuteCore()
    {
        var registered = FindInputs();
        var inputs = registered.Inputs;
        var image = new ImageText(Image, ImageDigest, SourceCommit, SourceRepositoryUrl, ProjectPath);
        // Everything the commit will need is checked here, in the project that set it, so the release fails before
        // any of its images is deployed and the error names this project's property.
        var request = inputs.Request(image.Facts(inputs, GetEnvironmentVariable));
        if (request.Manifests.Count == 0) throw new GitOpsException(Errors.ManifestPathMissing);
        DeploymentRequestRules.Validate(request);
        if (!Directory.Exists(ReleaseDirectory))
            throw new GitOpsException(Errors.ReleaseDisagrees, request.ConfigRepository.DisplayUrl,
                $"the release directory {ReleaseDirectory} of this build is gone");

        var path = ReleaseEntryFile.Write(ReleaseDirectory, ProjectPath, new ReleaseEntry(registered.Text, image));
        BuildLog.Important(Messages.ReleaseEntryWritten(request.Facts.Image.ToString(), request.ConfigRepository.DisplayUrl));
        BuildLog.Detail(path);
    }
}
