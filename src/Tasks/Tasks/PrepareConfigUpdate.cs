using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tasks;

/// <summary>
/// While the app compiles and its image is pushed, does what the config update needs first: clones the config
/// repository and loads the manifest engine, both in the background. The clone is kept with the project's registered
/// inputs, where <see cref="UpdateConfigRepository"/> takes it over; MSBuild disposes (deletes) one nobody took when
/// the build ends.
/// </summary>
public sealed class PrepareConfigUpdate : ConfigInputsTask
{
    protected override void ExecuteCore()
    {
        ManifestEditor.StartWarmUp();

        var registered = FindInputs();
        var inputs = registered.Inputs;
        // A push branch's name may come from the deployment (its tokens): nothing is cloned early for it.
        if (inputs.PushBranchTemplate is not null) return;
        // GitOpsCommitMethod=api clones nothing at all.
        if (inputs.CommitMethod == ConfigCommitMethod.Api) return;
        var options = TransportOptions(inputs);
        registered.SetPrefetch(ConfigClonePrefetch.Start(inputs.Repository, inputs.Branch, ReadCredentials(), options));
        BuildLog.Detail(Messages.CloningDuringBuild(inputs.Repository.DisplayUrl, inputs.Branch ?? "default branch"));
    }
}
