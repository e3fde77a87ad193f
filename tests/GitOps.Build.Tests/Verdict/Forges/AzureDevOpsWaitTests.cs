using GitOps.Build.Forge;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Verdict.Forges;

/// <summary>Commit statuses and the pull request's completion on Azure DevOps' contract (Descriptions/azure-devops-git.json).</summary>
[TestClass]
public sealed class AzureDevOpsWaitTests : ForgeWaitContractTests
{
    private const string Project = "Fabrikam Fiber";

    internal override (ContractServer Server, Uri ApiRoot) Start(SimulatedRepository state) => AzureDevOpsContract.Start(state, Project, "config");

    internal override ForgeRepository RepositoryAt(Uri apiRoot) =>
        new(ForgeKind.AzureDevOps, apiRoot, AzureDevOpsContract.Organization, Project, "config", "https://dev.azure.com/contoso/Fabrikam%20Fiber/_git/config");
}
