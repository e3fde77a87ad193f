using System.Text.Json;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class VerdictOutputsTests
{
    private const string Commit = "f00dfeed11111111111111111111111111111111";

    private static readonly WaitOutcome Success = new(Commit, WaitOutcomeState.Success,
        [new TargetVerdict("Argo CD app", "shop-prod", TargetState.Succeeded, "Healthy", 12.5, 31, null, null)], 31.2, null);

    private static readonly WaitOutcome Failure = new(Commit, WaitOutcomeState.Failure,
        [new TargetVerdict("status", "kustomization/apps|x", TargetState.Failed, "failure", null, null, "Health check failed", "https://flux.example.com/k")],
        40, new GitOpsException(Errors.DeployFailed, "f00dfee", "'main' of https://git.example.com/config.git", "status kustomization/apps is failure: Health check failed"));

    private string directory = "";

    [TestInitialize]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("gitops-verdict-out-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => GitOps.Build.ConfigRepo.TempDirectory.TryDelete(directory);

    [TestMethod]
    public void A_GitOpsResultFile_naming_a_FIFO_is_warning_GITOPS062_not_a_blocked_build()
    {
        using var fifo = GitOps.Build.Tests.Infrastructure.TestFifo.Create(Path.Combine(directory, "result.json"));
        var log = new RecordingLog();

        GitOps.Build.Tests.Infrastructure.TestFifo.Bounded(() =>
        {
            new VerdictOutputs(_ => null, log).Write(Success, fifo.Path);
            return 0;
        });

        var warning = log.Important.Single(line => line.StartsWith("warning GITOPS062", StringComparison.Ordinal));
        StringAssert.Contains(warning, "GitOpsResultFile");
        StringAssert.Contains(warning, "not a regular file");
    }

    [TestMethod]
    public void The_verdict_joins_what_the_deploy_wrote_in_the_result_file()
    {
        var file = Path.Combine(directory, "gitops-result.json");
        File.WriteAllText(file, """{ "image": "registry.example.com/team/app:v2", "configCommit": "f00dfeed" }""");

        new VerdictOutputs(_ => null, new RecordingLog()).Write(Success, file);

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.AreEqual("registry.example.com/team/app:v2", json.RootElement.GetProperty("image").GetString(), "the deploy's facts stay");
        var verdict = json.RootElement.GetProperty("verdict");
        Assert.AreEqual("success", verdict.GetProperty("state").GetString());
        Assert.AreEqual(Commit, verdict.GetProperty("commit").GetString());
        Assert.AreEqual(31.2, verdict.GetProperty("seconds").GetDouble());
        Assert.AreEqual(JsonValueKind.Null, verdict.GetProperty("code").ValueKind);
        var target = verdict.GetProperty("targets")[0];
        Assert.AreEqual(("Argo CD app", "shop-prod", "Healthy", "success"),
            (target.GetProperty("source").GetString(), target.GetProperty("name").GetString(), target.GetProperty("state").GetString(), target.GetProperty("result").GetString()));
        Assert.AreEqual(12.5, target.GetProperty("secondsToSync").GetDouble());
        Assert.AreEqual(31, target.GetProperty("secondsToHealthy").GetDouble());
    }

    [TestMethod]
    public void A_failure_is_written_with_its_code_message_and_cause_to_every_CI_output()
    {
        var file = Path.Combine(directory, "gitops-result.json");
        var outputs = Path.Combine(directory, "github-output");
        var summary = Path.Combine(directory, "summary.md");
        var log = new RecordingLog();
        var variables = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary,
            ["TF_BUILD"] = "True", ["GITLAB_CI"] = "true", ["CI_PROJECT_DIR"] = directory,
        };

        new VerdictOutputs(variables.GetValueOrDefault, log).Write(Failure, file);

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var verdict = json.RootElement.GetProperty("verdict");
        Assert.AreEqual("failure", verdict.GetProperty("state").GetString());
        Assert.AreEqual("GITOPS136", verdict.GetProperty("code").GetString());
        StringAssert.Contains(verdict.GetProperty("message").GetString(), "Health check failed");
        Assert.AreEqual("https://flux.example.com/k", verdict.GetProperty("targets")[0].GetProperty("link").GetString());
        Assert.AreEqual("deploy-verdict=failure\n", File.ReadAllText(outputs));
        Assert.AreEqual("GITOPS_DEPLOY_VERDICT=failure\n", File.ReadAllText(Path.Combine(directory, "gitops.env")));
        CollectionAssert.AreEqual(new[]
        {
            "##vso[task.setvariable variable=GitOpsDeployVerdict]failure",
            "##vso[task.setvariable variable=GitOpsDeployVerdict;isOutput=true]failure",
        }, log.Important);
        var markdown = File.ReadAllText(summary);
        StringAssert.Contains(markdown, "### GitOps: the agent's verdict on `f00dfee`: failure");
        StringAssert.Contains(markdown, "apps\\|x | failure | — | — |", "a context's text stays in its cell");
        StringAssert.Contains(markdown, "GITOPS136");
    }

    [TestMethod]
    public void An_output_that_cannot_be_written_is_warning_GITOPS062_and_the_others_are_written()
    {
        var outputs = Path.Combine(directory, "github-output");
        var log = new RecordingLog();
        var variables = new Dictionary<string, string> { ["GITHUB_OUTPUT"] = outputs };

        new VerdictOutputs(variables.GetValueOrDefault, log).Write(Success, directory);

        Assert.AreEqual("deploy-verdict=success\n", File.ReadAllText(outputs));
        var warning = log.Important.Single();
        StringAssert.StartsWith(warning, "warning GITOPS062");
        StringAssert.Contains(warning, Commit);
    }
}
