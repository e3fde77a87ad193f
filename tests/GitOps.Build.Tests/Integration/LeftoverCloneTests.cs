using System.Diagnostics;

namespace GitOps.Build.Tests.Integration;

/// <summary>A deploy deletes the temporary clones a killed build left in the temporary directory.</summary>
[TestClass]
[TestCategory("Publish")]
public sealed class LeftoverCloneTests
{
    [TestMethod]
    public void The_next_deploy_deletes_a_clone_left_by_a_build_that_no_longer_runs()
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.FromSample();
        var temp = Directory.CreateDirectory(Path.Combine(app.Root, "tmp")).FullName;
        int killed;
        using (var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            process.WaitForExit();
            killed = process.Id;
        }
        var leftover = Directory.CreateDirectory(Path.Combine(temp, $"gitops-config-{killed}-0123456789ab", "objects")).Parent!.FullName;

        var result = app.Dotnet(new Dictionary<string, string?> { ["TMPDIR"] = temp },
            "msbuild", "-t:GitOpsUpdateConfig", "-v:d", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsFalse(Directory.Exists(leftover), "the left-over clone is gone");
        StringAssert.Contains(result.StandardOutput, "GitOps: deleted 1 temporary clone(s)");
    }
}
