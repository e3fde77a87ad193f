using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>
/// Build statuses and the pull request's merge on Bitbucket Cloud's contract (Descriptions/bitbucket.json); the merge
/// commit's abbreviated hash is read back whole.
/// </summary>
[TestClass]
public sealed class BitbucketWaitTests : ForgeWaitContractTests
{
    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => BitbucketContract.Start(state, "team", "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.Bitbucket, apiRoot, "team", null, "config", "https://bitbucket.org/team/config.git");
}
