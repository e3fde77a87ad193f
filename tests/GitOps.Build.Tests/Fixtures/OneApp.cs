using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>A local bare config repository holding one app's Deployment, and <see cref="ConfigDeployer"/> runs on its main.</summary>
internal static class OneApp
{
    public const string ManifestPath = "apps/app/deployment.yaml";

    public static ConfigRemote Create(string image) =>
        ConfigRemote.Create("main", new Dictionary<string, string> { [ManifestPath] = TestManifest.Deployment(image) });

    public static Deployment Deploy(ConfigRemote remote, IBuildLog log, DeploymentFacts facts,
        ImageReferenceFormat format = ImageReferenceFormat.Tag, bool dryRun = false, DeployOrderCheck? orderCheck = null) =>
        new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Deploy(
            new DeploymentRequest(facts, ConfigRepositoryLocation.Parse(remote.Path), "main", [new ManifestTarget(ManifestPath, new ManifestEditOptions { ReferenceFormat = format })],
                null, "Bot", "bot@example.com", dryRun, OrderCheck: orderCheck));
}
