using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Deploy;

/// <summary>What <see cref="ConfigDeployer"/> did: the write-back's result, and the outcome to report.</summary>
internal sealed record Deployment(ConfigCommitResult Result, DeploymentOutcome Outcome);
