using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>The combined commit status and the pull request's merge on Gitea's contract (Descriptions/gitea.json).</summary>
[TestClass]
public sealed class GiteaWaitTests : ForgeWaitContractTests
{
    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => GiteaContract.Start(state, "team", "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Gitea, apiRoot, "team", null, "config", "https://gitea.example.com/team/config.git");
}
