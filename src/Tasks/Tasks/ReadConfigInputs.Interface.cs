using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class ReadConfigInputs
{
    /// <summary>
    /// @(_GitOpsConfigInputs): one item whose metadata are the config-write properties as written (ConfigRepository,
    /// ConfigBranch, DeployBranch, ConfigPushBranch, ResultFile, AppRepositoryDirectory, AllowDowngrade, CommitMessage,
    /// ReferenceFormat, CommitAuthorName, CommitAuthorEmail, DryRun, CommitSigningFormat, CommitSigningKey,
    /// ArgoCdTrailers, PushRetries, TimeoutSeconds). Strings, also for booleans and numbers, so that a bad value is a
    /// GITOPS code naming the property, not MSBuild's MSB4030.
    /// </summary>
    [Required] public ITaskItem Settings { get; set; } = null!;

    /// <summary>@(_GitOpsManifest): GitOpsManifestPath and GitOpsManifest items, or the selected environment's.</summary>
    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The id the parsed inputs are registered under, for the later tasks' InputsKey.</summary>
    [Output] public string InputsKey { get; private set; } = "";
}
