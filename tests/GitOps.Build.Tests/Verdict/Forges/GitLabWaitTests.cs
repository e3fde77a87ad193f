using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>Commit statuses and the merge request's merge on GitLab's contract (Descriptions/gitlab.json).</summary>
[TestClass]
public sealed class GitLabWaitTests : ForgeWaitContractTests
{
    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => GitLabContract.Start(state, "team/platform/config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.GitLab, apiRoot, "team/platform", null, "config", "https://gitlab.example.com/team/platform/config.git");
}
