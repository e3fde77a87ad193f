using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// A manifest nested tens of thousands deep beside the app's own, under MSBuild: it once overflowed the stack and
/// ended the build (exit 134, no code, a temporary clone left behind); now the standalone target fails with GITOPS042.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class HostileManifestTests
{
    [TestMethod]
    public void A_manifest_nested_50000_deep_in_the_deployed_directory_fails_the_standalone_target_with_GITOPS042()
    {
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.Local();
        const string hostile = "apps/sample-app/deep.yaml";
        AddFile(config, hostile, "apiVersion: v1\nkind: ConfigMap\ndata: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        var before = config.Head;

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", "-p:GitOpsManifestPath=apps/sample-app");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS042:");
        StringAssert.Contains(result.StandardOutput, hostile);
        Assert.IsFalse(result.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), "no stack trace");
        Assert.AreEqual(before, config.Head, "nothing pushed");
    }

    private static void AddFile(TestConfigRepository config, string path, string content)
    {
        var work = Directory.CreateTempSubdirectory("gitops-hostile-").FullName;
        try
        {
            Git(null, "clone", "-q", config.GitDirectory, work);
            File.WriteAllText(Path.Combine(work, path), content);
            Git(work, "add", "-A");
            Git(work, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "commit", "-q", "-m", "Add " + path);
            Git(work, "push", "-q", "origin", "HEAD:main");
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(work);
        }
    }

    private static void Git(string? directory, params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, directory);
        Assert.IsTrue(result.Succeeded, $"git {string.Join(' ', arguments)}: {result}");
    }
}
