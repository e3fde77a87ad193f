using System.Text.Json;
using GitOps.Build.Tests.Forge.Contracts;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// What the publish tests of GitOpsCommitMethod=api share (<see cref="ApiCommitPublishTests"/>,
/// <see cref="ApiCommitPullRequestPublishTests"/>): `dotnet publish -p:GitOpsPush=true -p:GitOpsCommitMethod=api` of
/// samples/app, with the real registry of build/env for the image and a forge's contract server (held to its API
/// description, with a real object store) as the forge, seeded with the sample config repository's manifest. The config
/// repository's URL names a host that does not exist, so a clone, had one been tried, would fail the build.
/// </summary>
public abstract class ApiPublishTests
{
    private protected const string Manifest = "apps/sample-app/deployment.yaml";

    /// <summary>samples/config-repo's manifest, as it is before the deploy.</summary>
    private protected static string Sample => File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo", Manifest));

    /// <summary>The config repository's first commit on main: the sample's manifest and a README. Returns the commit.</summary>
    private protected static string Seed(SimulatedGitStore git) =>
        git.CommitText("main", new Dictionary<string, string> { [Manifest] = Sample, ["README.md"] = "config\n" }, "Initial config");

    /// <summary>The publish, through <paramref name="forge"/>'s API at <paramref name="apiRoot"/> onto main; <paramref name="more"/> last.</summary>
    private protected static ProcessResult Publish(AppWorkspace app, TestEnvironment environment, string configUrl, IReadOnlyDictionary<string, string?> variables,
        string forge, Uri apiRoot, params string[] more) =>
        app.PublishWithGitOps(environment, configUrl, variables,
            ["-p:GitOpsCommitMethod=api", $"-p:GitOpsForge={forge}", $"-p:GitOpsForgeApiUrl={apiRoot}", "-p:GitOpsConfigBranch=main", .. more, "-v:n"]);

    private protected static void AssertNothingCloned(ProcessResult publish) =>
        Assert.IsFalse(publish.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), "nothing is cloned");

    /// <summary>The publish's GitOpsResultFile (the sample writes one).</summary>
    private protected static JsonElement ResultFile(AppWorkspace app) =>
        JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(app.Root, "gitops-result.json", SearchOption.AllDirectories).Single())).RootElement;
}
