using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsEnvironment=name: the manifests (with their GitOpsManifest metadata) and branch of that GitOpsEnvironment
/// item, for the deploy to use instead of GitOpsManifestPath/GitOpsManifest. An unknown name is GITOPS052.
/// </summary>
public sealed partial class SelectEnvironment : GitOpsTask
{
    protected override void ExecuteCore()
    {
        var environment = DeploymentEnvironment.Find(Environments, item => item.ItemSpec, Name, "GitOpsEnvironment");
        var paths = DeploymentEnvironment.ManifestPaths(environment.ItemSpec, environment.GetMetadata(DeploymentEnvironment.ManifestPathMetadata));
        TextRule.RejectControlCharacters(environment.GetMetadata(DeploymentEnvironment.BranchMetadata), $"The Branch metadata of GitOpsEnvironment '{environment.ItemSpec}'");
        Manifests = paths.Select(path =>
        {
            var item = new TaskItem(path);
            environment.CopyMetadataTo(item);
            item.RemoveMetadata(DeploymentEnvironment.ManifestPathMetadata);
            item.RemoveMetadata(DeploymentEnvironment.BranchMetadata);
            return (ITaskItem)item;
        }).ToArray();
        Branch = environment.GetMetadata(DeploymentEnvironment.BranchMetadata).Trim();
        BuildLog.Detail(Messages.EnvironmentSelected(environment.ItemSpec, paths, Branch));
    }
}
