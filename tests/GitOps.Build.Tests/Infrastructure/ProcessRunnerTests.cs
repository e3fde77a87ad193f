using GitOps.Build.Ci;
using GitOps.Build.Deploy;

namespace GitOps.Build.Tests.Infrastructure;

/// <summary>
/// The suite may itself run in CI: no child build it starts may see that CI's variables (it would write step outputs
/// into the real run, or take its commit) or the run's GitOps secrets.
/// </summary>
[TestClass]
public sealed class ProcessRunnerTests
{
    private static readonly DeploymentOutcome Outcome = new(
        "registry.example.com/team/app:abc1234", "sha256:" + new string('d', 64), "abc1234" + new string('0', 33), null,
        null, "https://git.example.com/config.git", "main", "f00dfeed" + new string('1', 32), false, ["apps/app/deployment.yaml"], "");

    [TestMethod]
    public void Every_variable_a_CI_system_or_its_outputs_are_read_from_is_cleared_for_child_processes()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-ci-variables-").FullName;
        try
        {
            var read = new HashSet<string>(StringComparer.Ordinal);
            foreach (var system in CiSystems.All)
            {
                // This system is detected, every other variable is set too: each read is seen.
                var others = CiSystems.All.Where(s => s != system).Select(s => s.DetectionVariable).ToHashSet();
                string? Environment(string name)
                {
                    read.Add(name);
                    return others.Contains(name) ? null : Path.Combine(directory, name);
                }
                Assert.AreEqual(system, CiSystems.Detect(Environment)?.System);
                new CiOutputWriter(Environment, new RecordingLog()).Write(Outcome, Path.Combine(directory, "result.json"));
            }
            _ = GitOps.Build.ConfigRepo.GitCredentials.FromEnvironment(name =>
            {
                read.Add(name);
                return "set";
            });

            Assert.IsTrue(read.Contains("GITHUB_OUTPUT") && read.Contains("GIT_COMMIT"), "the probe sees the reads");
            CollectionAssert.IsSubsetOf(read.Order().ToList(), ProcessRunner.ClearedVariables.ToList(),
                "not cleared: " + string.Join(", ", read.Except(ProcessRunner.ClearedVariables)));
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(directory);
        }
    }

    [TestMethod]
    public void A_variable_given_for_one_child_is_set_even_when_it_is_one_that_is_cleared()
    {
        var result = ProcessRunner.Run("sh", ["-c", "printf '%s' \"$GITHUB_SHA\""], environment: new Dictionary<string, string?> { ["GITHUB_SHA"] = "abc" });

        Assert.AreEqual("abc", result.StandardOutput);
    }
}
