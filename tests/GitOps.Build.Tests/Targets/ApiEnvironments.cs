using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// The config repository the environment target tests seed: a staging and a production Kustomization of one app, and
/// deploy commits as GitOpsUpdateConfig writes them. GitOpsCommitMethod=api's tests seed it on each forge, the clone
/// route's (<see cref="EnvironmentTargetTests"/>) in a repository on the local file system.
/// </summary>
internal static class ApiEnvironments
{
    public const string Repository = "registry.example.com/team/app";
    public const string StagingPath = "envs/staging/kustomization.yaml";
    public const string ProductionPath = "envs/production/kustomization.yaml";
    public const string SourceCommit = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";
    public const string Digest = "sha256:4f1c000000000000000000000000000000000000000000000000000000000abc";

    public static string Kustomization(string environment, string tag) => $"""
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: {environment}
        images:
          - name: app
            newName: {Repository}
            newTag: {tag}

        """;

    /// <summary>A deploy commit's message, long enough that Azure DevOps' listing cuts its comment short.</summary>
    public static string DeployMessage(string tag) => $"""
        Deploy team/app:{tag}

        GitOps-Source-Commit: {SourceCommit}
        GitOps-Source-Repository: https://git.example.com/team/app.git
        GitOps-Image: {Repository}:{tag}
        GitOps-Image-Digest: {Digest}
        GitOps-Project: App.csproj
        """;

    /// <summary>The api method's promise: no step of <paramref name="run"/> cloned the config repository.</summary>
    public static void AssertNothingCloned(TargetRun run) =>
        Assert.IsFalse(run.Log.Lines.Any(l => l.Contains("GitOps: cloned", StringComparison.Ordinal)), "nothing is cloned");

    /// <summary>What a wait on Argo CD under the api method reads from the environment: the forge's token and Argo CD's.</summary>
    public static Dictionary<string, string> ForgeAndArgoCd(ApiForgeServer forge, ArgoCdAgent agent) => new()
    {
        ["GITOPS_TOKEN"] = forge.Token,
        ["GITOPS_ARGOCD_SERVER"] = agent.Url,
        ["GITOPS_ARGOCD_TOKEN"] = ArgoCdAgent.Token,
    };
}
