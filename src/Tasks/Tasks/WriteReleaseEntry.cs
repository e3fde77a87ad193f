using System.Text.Json;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// In a project published as part of a release (a solution or traversal project that imports this package), takes
/// the place of <see cref="UpdateConfigRepository"/> once the image is pushed: checks the same inputs, then leaves them
/// in the release directory for <see cref="DeployRelease"/>, which commits every image of the release at once.
/// </summary>
public sealed class WriteReleaseEntry : ConfigUpdateTask
{
    /// <summary>The directory the solution or traversal project made for this build (_GitOpsReleaseDirectory).</summary>
    [Required] public string ReleaseDirectory { get; set; } = "";

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    protected override void ExecuteCore()
    {
        var entry = Inputs();
        // Everything the commit will need is checked here, in the project that set it, so the release fails before
        // any of its images is deployed and the error names this project's property.
        var request = Request(entry);
        if (request.Manifests.Count == 0) throw new GitOpsException(Errors.ManifestPathMissing);
        DeploymentRequestRules.Validate(request);
        TextRule.RejectControlCharacters(entry.ProjectPath, "The project path");
        NumberRule.PushRetries(entry.PushRetries);
        NumberRule.ConfigTimeoutSeconds(entry.TimeoutSeconds);
        if (!Directory.Exists(ReleaseDirectory))
            throw new GitOpsException(Errors.ReleaseDisagrees, request.ConfigRepository.DisplayUrl,
                $"the release directory {ReleaseDirectory} of this build is gone");

        var name = Path.GetFileNameWithoutExtension(entry.ProjectPath ?? "project") + "-" + Guid.NewGuid().ToString("N")[..12];
        var path = Path.Combine(ReleaseDirectory, name + ".json");
        // Written whole, then renamed: the release never reads half an entry.
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(entry, Json));
        File.Move(path + ".tmp", path);
        BuildLog.Important(Messages.ReleaseEntryWritten(request.Facts.Image.ToString(), request.ConfigRepository.DisplayUrl));
    }
}
