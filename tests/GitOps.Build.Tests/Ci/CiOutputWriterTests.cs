using System.Text.Json;
using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Ci;

[TestClass]
public sealed class CiOutputWriterTests
{
    private string _directory = "";

    private static readonly DeploymentOutcome Outcome = new(
        "registry.example.com/team/app:abc1234", "sha256:" + new string('d', 64), "abc1234" + new string('0', 33), null,
        "https://ci.example.com/run/1", "https://git.example.com/config.git", "main", "f00dfeed" + new string('1', 32), false,
        ["apps/app/deployment.yaml"], "--- a/apps/app/deployment.yaml\n+++ b/apps/app/deployment.yaml\n@@ -1 +1 @@\n-image: a\n+image: b\n");

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("gitops-ci-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => GitOps.Build.ConfigRepo.TempDirectory.TryDelete(_directory);

    private RecordingLog Write(Dictionary<string, string> variables) => Write(Outcome, variables);

    [TestMethod]
    public void The_JSON_result_file_is_always_written()
    {
        var log = Write([]);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "out", "result.json")));
        var root = json.RootElement;
        Assert.AreEqual(Outcome.Image, root.GetProperty("image").GetString());
        Assert.AreEqual(Outcome.Digest, root.GetProperty("digest").GetString());
        Assert.AreEqual(Outcome.ConfigCommit, root.GetProperty("configCommit").GetString());
        Assert.AreEqual("main", root.GetProperty("configBranch").GetString());
        Assert.IsTrue(root.GetProperty("changed").GetBoolean());
        Assert.AreEqual(Outcome.Diff, root.GetProperty("diff").GetString());
        Assert.IsEmpty(log.Important);
    }

    [TestMethod]
    public void GitHub_Actions_gets_step_outputs_appended_and_a_job_summary()
    {
        var outputs = Path.Combine(_directory, "github_output");
        var summary = Path.Combine(_directory, "summary.md");
        File.WriteAllText(outputs, "earlier=1\n");

        Write(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.AreEqual($"earlier=1\nimage={Outcome.Image}\ndigest={Outcome.Digest}\nconfig-commit={Outcome.ConfigCommit}\nconfig-branch=main\nimages={Outcome.Image}\n",
            File.ReadAllText(outputs));
        var markdown = File.ReadAllText(summary);
        StringAssert.Contains(markdown, $"| Image | `{Outcome.Image}` |");
        StringAssert.Contains(markdown, $"| Commit | `{Outcome.ConfigCommit}` |");
        StringAssert.Contains(markdown, "```diff\n--- a/apps/app/deployment.yaml");
    }

    [TestMethod]
    public void Azure_Pipelines_gets_job_and_output_variables()
    {
        var log = Write(new() { ["TF_BUILD"] = "True" });

        CollectionAssert.Contains(log.Important, $"##vso[task.setvariable variable=GitOpsImage]{Outcome.Image}");
        CollectionAssert.Contains(log.Important, $"##vso[task.setvariable variable=GitOpsConfigCommit;isOutput=true]{Outcome.ConfigCommit}");
        CollectionAssert.Contains(log.Important, $"##vso[task.setvariable variable=GitOpsImages;isOutput=true]{Outcome.Image}");
        Assert.AreEqual(10, log.Important.Count);
    }

    [TestMethod]
    public void GitLab_gets_a_dotenv_report_in_the_project_directory()
    {
        Write(new() { ["GITLAB_CI"] = "true", ["CI_PROJECT_DIR"] = _directory });

        Assert.AreEqual($"GITOPS_IMAGE={Outcome.Image}\nGITOPS_IMAGE_DIGEST={Outcome.Digest}\nGITOPS_CONFIG_COMMIT={Outcome.ConfigCommit}\nGITOPS_CONFIG_BRANCH=main\nGITOPS_IMAGES={Outcome.Image}\n",
            File.ReadAllText(Path.Combine(_directory, "gitops.env")));
    }

    [TestMethod]
    public void A_pull_request_is_in_the_result_file_every_CI_channel_and_the_summary()
    {
        var outputs = Path.Combine(_directory, "github_output");
        var summary = Path.Combine(_directory, "summary.md");
        var outcome = Outcome with { PullRequest = new PullRequestReport("https://github.com/team/config/pull/7", 7, Created: false) };

        var log = Write(outcome, new() { ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary, ["TF_BUILD"] = "True", ["GITLAB_CI"] = "true", ["CI_PROJECT_DIR"] = _directory });

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "out", "result.json")));
        var pullRequest = json.RootElement.GetProperty("pullRequest");
        Assert.AreEqual("https://github.com/team/config/pull/7", pullRequest.GetProperty("url").GetString());
        Assert.AreEqual(7, pullRequest.GetProperty("number").GetInt64());
        Assert.IsFalse(pullRequest.GetProperty("created").GetBoolean());
        StringAssert.EndsWith(File.ReadAllText(outputs), "pull-request-url=https://github.com/team/config/pull/7\npull-request-number=7\n");
        CollectionAssert.Contains(log.Important, "##vso[task.setvariable variable=GitOpsPullRequestUrl;isOutput=true]https://github.com/team/config/pull/7");
        StringAssert.Contains(File.ReadAllText(Path.Combine(_directory, "gitops.env")), "GITOPS_PULL_REQUEST_URL=https://github.com/team/config/pull/7\nGITOPS_PULL_REQUEST_NUMBER=7\n");
        StringAssert.Contains(File.ReadAllText(summary), "| Pull request | https\\:\\/\\/github\\.com\\/team\\/config\\/pull\\/7 (updated) |");
    }

    [TestMethod]
    public void Without_a_pull_request_the_result_file_has_no_pullRequest()
    {
        Write([]);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "out", "result.json")));
        Assert.IsFalse(json.RootElement.TryGetProperty("pullRequest", out _));
    }

    [TestMethod]
    public void A_release_lists_every_image_in_the_result_file_the_outputs_and_the_summary()
    {
        var release = Outcome with
        {
            Image = null, Digest = null, SourceCommit = null,
            Release = [new DeployedImage("registry.example.com/team/api:abc1234", "sha256:" + new string('a', 64), null, "Api.csproj"),
                       new DeployedImage("registry.example.com/team/web:abc1234", "sha256:" + new string('b', 64), null, "Web.csproj")],
        };
        var outputs = Path.Combine(_directory, "github_output");
        var summary = Path.Combine(_directory, "summary.md");
        var resultFile = Path.Combine(_directory, "result.json");

        new CiOutputWriter(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary }.GetValueOrDefault,
            new RecordingLog()).Write(release, resultFile);

        using var json = JsonDocument.Parse(File.ReadAllText(resultFile));
        CollectionAssert.AreEqual(new[] { "Api.csproj", "Web.csproj" },
            json.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("project").GetString()).ToArray());
        Assert.AreEqual(JsonValueKind.Null, json.RootElement.GetProperty("image").ValueKind);
        StringAssert.Contains(File.ReadAllText(outputs), "images=registry.example.com/team/api:abc1234 registry.example.com/team/web:abc1234\n");
        StringAssert.Contains(File.ReadAllText(summary), "| Image | `registry.example.com/team/web:abc1234` |");
    }

    [TestMethod]
    [DataRow("a directory")]
    [DataRow("/dev/full")]
    public void A_GITHUB_OUTPUT_that_cannot_be_written_is_warning_GITOPS062_with_the_commit_and_the_other_outputs_are_written(string kind)
    {
        var outputs = kind == "/dev/full" ? "/dev/full" : Directory.CreateDirectory(Path.Combine(_directory, "outputs")).FullName;
        var summary = Path.Combine(_directory, "summary.md");

        var log = Write(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary, ["GITLAB_CI"] = "true", ["CI_PROJECT_DIR"] = _directory });

        var warning = log.Important.Single(line => line.StartsWith("warning GITOPS062", StringComparison.Ordinal));
        StringAssert.Contains(warning, "GITHUB_OUTPUT");
        StringAssert.Contains(warning, outputs);
        StringAssert.Contains(warning, Outcome.ConfigCommit!);
        Assert.IsTrue(File.Exists(Path.Combine(_directory, "out", "result.json")), "the result file before it");
        StringAssert.Contains(File.ReadAllText(summary), Outcome.ConfigCommit!, "the summary after it");
        StringAssert.Contains(File.ReadAllText(Path.Combine(_directory, "gitops.env")), Outcome.ConfigCommit!, "the dotenv report after it");
    }

    [TestMethod]
    public void An_unwritable_result_file_is_warning_GITOPS062_and_the_step_outputs_are_still_written()
    {
        var blocker = Path.Combine(_directory, "out");
        File.WriteAllText(blocker, "a file where the result file's directory should be");
        var outputs = Path.Combine(_directory, "github_output");

        var log = Write(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs });

        var warning = log.Important.Single(line => line.StartsWith("warning GITOPS062", StringComparison.Ordinal));
        StringAssert.Contains(warning, "GitOpsResultFile");
        StringAssert.Contains(warning, Outcome.ConfigCommit!);
        StringAssert.Contains(File.ReadAllText(outputs), $"config-commit={Outcome.ConfigCommit}");
    }
    /// <summary>A dry run's diff of a manifest whose lines would close the summary's code block and show an image, a link and HTML.</summary>
    private static readonly DeploymentOutcome Hostile = Outcome with
    {
        ConfigBranch = "deploy/a|b",
        Diff = "--- a/apps/app/deployment.yaml\n+++ b/apps/app/deployment.yaml\n@@ -1,3 +1,3 @@\n-image: a\n+image: b\n note: |\n   ```\n"
            + "   ![x](https://evil.example/x.png) <img src=x> [click](https://evil.example) | --- |\n",
    };

    [TestMethod]
    public void The_job_summary_shows_the_config_repository_lines_as_code_whatever_they_hold()
    {
        var summary = Path.Combine(_directory, "summary.md");

        Write(Hostile, new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        var html = CiReaders.Render(File.ReadAllText(summary));
        Assert.IsFalse(html.Contains("<img", StringComparison.Ordinal) || html.Contains("<a ", StringComparison.Ordinal), html);
        var block = System.Text.RegularExpressions.Regex.Match(html, "<pre><code class=\"language-diff\">(.*?)</code></pre>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.AreEqual(Hostile.Diff, CiReaders.Text(block.Groups[1].Value), html);
        var rows = CiReaders.TableRows(html);
        Assert.AreEqual(5, rows.Count, html);
        Assert.IsTrue(rows.All(row => row.Count == 2), html);
        Assert.AreEqual($"{Hostile.ConfigRepository} (deploy/a|b)", rows[3][1], "shown as written, in its own cell");
    }

    [TestMethod]
    public void Azure_variables_get_their_values_as_written()
    {
        var log = Write(Outcome with { ConfigBranch = "deploy/x%0A%AZP25" }, new() { ["TF_BUILD"] = "True" });

        var command = log.Important.Single(line => line.StartsWith("##vso[task.setvariable variable=GitOpsConfigBranch]", StringComparison.Ordinal));
        Assert.AreEqual("deploy/x%0A%AZP25", CiReaders.AzureVariableValue(command[(command.IndexOf(']') + 1)..]));
    }

    [TestMethod]
    public void A_GitOpsResultFile_naming_a_FIFO_is_warning_GITOPS062_not_a_blocked_build()
    {
        var outputs = Path.Combine(_directory, "github_output");
        using var fifo = TestFifo.Create(Path.Combine(_directory, "result.json"));
        var log = new RecordingLog();

        TestFifo.Bounded(() =>
        {
            new CiOutputWriter(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs }.GetValueOrDefault, log).Write(Outcome, fifo.Path);
            return 0;
        });

        var warning = log.Important.Single(line => line.StartsWith("warning GITOPS062", StringComparison.Ordinal));
        StringAssert.Contains(warning, "GitOpsResultFile");
        StringAssert.Contains(warning, "not a regular file");
        StringAssert.Contains(File.ReadAllText(outputs), "config-commit=", "the other outputs are written");
    }

    [TestMethod]
    public void A_GITHUB_OUTPUT_naming_a_FIFO_is_warning_GITOPS062_and_the_result_file_is_written()
    {
        using var fifo = TestFifo.Create(Path.Combine(_directory, "github_output"));
        var resultFile = Path.Combine(_directory, "result.json");
        var log = new RecordingLog();

        TestFifo.Bounded(() =>
        {
            new CiOutputWriter(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = fifo.Path }.GetValueOrDefault, log).Write(Outcome, resultFile);
            return 0;
        });

        var warning = log.Important.Single(line => line.StartsWith("warning GITOPS062", StringComparison.Ordinal));
        StringAssert.Contains(warning, "GITHUB_OUTPUT");
        StringAssert.Contains(warning, "not a regular file");
        Assert.IsTrue(File.Exists(resultFile));
    }

    [TestMethod]
    public void Step_outputs_and_the_dotenv_report_keep_each_value_on_its_line()
    {
        var outputs = Path.Combine(_directory, "github_output");

        Write(Outcome with { ConfigBranch = "a\nb\rc\u2028d" }, new() { ["GITHUB_OUTPUT"] = outputs, ["GITLAB_CI"] = "true", ["CI_PROJECT_DIR"] = _directory });

        CollectionAssert.Contains(File.ReadAllLines(outputs), "config-branch=a b c d");
        CollectionAssert.Contains(File.ReadAllLines(Path.Combine(_directory, "gitops.env")), "GITOPS_CONFIG_BRANCH=a b c d");
    }

    private RecordingLog Write(DeploymentOutcome outcome, Dictionary<string, string> variables)
    {
        var log = new RecordingLog();
        new CiOutputWriter(name => variables.GetValueOrDefault(name), log).Write(outcome, Path.Combine(_directory, "out", "result.json"));
        return log;
    }
}
