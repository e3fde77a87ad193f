using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// A deploy deletes the temporary clones and key copies a killed build left in the temporary directory, and nothing
/// else: a user's own clone named like one (issue 20's reproduction) stays, with its uncommitted work.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class LeftoverCloneTests
{
    [TestMethod]
    public void The_next_deploy_deletes_what_a_build_that_no_longer_runs_left_and_only_that()
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
        var leftover = TempDirectory.Create(temp, TempDirectory.ConfigClonePrefix, killed);
        var keys = TempDirectory.Create(temp, SshIdentityFiles.DirectoryPrefix, killed);
        File.WriteAllText(Path.Combine(keys, "key"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var staging = Path.Combine(temp, TempDirectory.ConfigClonePrefix + "staging");
        GitCli.Run(temp, "clone", "--quiet", config.Url, staging);
        var edited = Directory.EnumerateFiles(staging, "*.yaml", SearchOption.AllDirectories).First();
        File.AppendAllText(edited, "# uncommitted work\n");
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddHours(-2));

        var result = app.Dotnet(new Dictionary<string, string?> { ["TMPDIR"] = temp },
            "msbuild", "-t:GitOpsUpdateConfig", "-v:d", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.IsFalse(Directory.Exists(leftover), "the left-over clone is gone");
        Assert.IsFalse(Directory.Exists(keys), "the left-over key copy is gone");
        StringAssert.Contains(result.StandardOutput, "GitOps: deleted 1 temporary clone(s)");
        StringAssert.EndsWith(File.ReadAllText(edited), "# uncommitted work\n", "the user's own clone is untouched");
    }
}
