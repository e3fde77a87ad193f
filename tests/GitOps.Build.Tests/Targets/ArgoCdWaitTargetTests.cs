using GitOps.Build.Tests.Verdict;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// What the in-process tests of the wait for Argo CD's verdict share (<see cref="WaitForDeployTargetTests"/>,
/// <see cref="RollbackTargetTests"/>): a config repository on the local file system with one manifest, and a standalone
/// update that waits for Argo CD's contract server (<see cref="ArgoCdAgent"/>).
/// </summary>
public abstract class ArgoCdWaitTargetTests
{
    private protected const string Manifest = "apps/app/deployment.yaml";
    private protected const string Image = "registry.example.com/team/app:v2";

    private protected ConfigRemote remote = null!;
    private protected string before = "";

    /// <summary>The properties of every <see cref="Project"/> of the class beside the repository, manifest, image and wait.</summary>
    private protected virtual IEnumerable<(string Name, string Value)> Defaults => [];

    [TestInitialize]
    public void CreateConfigRepository()
    {
        remote = ConfigRemote.Create("main", new Dictionary<string, string> { [Manifest] = TestManifest.Deployment("registry.example.com/team/app:initial") });
        before = remote.Tip("main");
    }

    [TestCleanup]
    public void DeleteConfigRepository() => remote.Dispose();

    /// <summary>The standalone update of <see cref="Image"/> into <see cref="remote"/>, waiting up to 60 s; <paramref name="more"/> last.</summary>
    private protected TargetsProject Project(params (string Name, string Value)[] more)
    {
        var properties = new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = remote.Path,
            ["GitOpsManifestPath"] = Manifest,
            ["GitOpsImage"] = Image,
            ["GitOpsWaitForDeploy"] = "true",
            ["GitOpsWaitTimeout"] = "60",
        };
        foreach (var (name, value) in Defaults.Concat(more)) properties[name] = value;
        return TargetsProject.Create(properties);
    }

    /// <summary>The variables that point the wait at <paramref name="agent"/>.</summary>
    private protected static Dictionary<string, string> ArgoCd(ArgoCdAgent agent) => new()
    {
        ["GITOPS_ARGOCD_SERVER"] = agent.Url,
        ["GITOPS_ARGOCD_TOKEN"] = ArgoCdAgent.Token,
    };
}
