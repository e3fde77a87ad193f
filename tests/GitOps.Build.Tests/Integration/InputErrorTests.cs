using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>What a user sees when GitOpsPush=true lacks what it needs: a GITOPS code, before anything is compiled.</summary>
[TestClass]
[TestCategory("Publish")]
public sealed class InputErrorTests
{
    private static string Project(string properties) => AppWorkspace.ConsoleProject(properties);

    private const string Complete = """
        <ContainerRegistry>registry.example.com</ContainerRegistry>
        <GitOpsConfigRepository>https://git.example.com/team/config.git</GitOpsConfigRepository>
        <GitOpsManifestPath>apps/app/deployment.yaml</GitOpsManifestPath>
        """;

    private static void AssertFailsBeforeCompiling(AppWorkspace app, string code, string mentions, IReadOnlyDictionary<string, string?>? environment = null, string? extraArguments = null)
    {
        var result = extraArguments is null
            ? app.Dotnet(environment, "build", "-p:GitOpsPush=true")
            : app.Dotnet(environment, "build", "-p:GitOpsPush=true", extraArguments);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, $"error {code}:");
        StringAssert.Contains(result.StandardOutput, mentions);
        // The text is read from the task assembly's resources inside MSBuild, and the code in it is shown once.
        Assert.IsFalse(result.StandardOutput.Contains($"{code}: {code}", StringComparison.Ordinal), result.ToString());
        Assert.IsFalse(Directory.Exists(Path.Combine(app.ProjectDirectory, "bin")), "nothing may be compiled");
    }

    [TestMethod]
    public void Missing_settings_are_all_named_at_once()
    {
        using var app = AppWorkspace.WithProject(Project(""));

        var result = app.Dotnet(null, "build", "-p:GitOpsPush=true");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.StandardOutput, "error GITOPS003:");
        StringAssert.Contains(result.StandardOutput, "error GITOPS001:");
        StringAssert.Contains(result.StandardOutput, "error GITOPS002:");
    }

    [TestMethod]
    public void A_missing_registry_fails_with_GITOPS003()
    {
        using var app = AppWorkspace.WithProject(Project(Complete.Replace("<ContainerRegistry>registry.example.com</ContainerRegistry>", "")));

        AssertFailsBeforeCompiling(app, "GITOPS003", "ContainerRegistry");
    }

    [TestMethod]
    public void Uncommitted_changes_fail_with_GITOPS010()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        File.AppendAllText(Path.Combine(app.ProjectDirectory, "Program.cs"), "// edited\n");

        AssertFailsBeforeCompiling(app, "GITOPS010", "GitOpsAllowDirty");
    }

    [TestMethod]
    public void Exported_sources_without_git_or_CI_variables_fail_with_GITOPS011()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        Directory.Delete(Path.Combine(app.Root, ".git"), recursive: true);

        AssertFailsBeforeCompiling(app, "GITOPS011", "GITHUB_SHA");
    }

    [TestMethod]
    public void Exported_sources_take_the_commit_from_the_CI_variable()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));
        Directory.Delete(Path.Combine(app.Root, ".git"), recursive: true);

        var result = app.Dotnet(new Dictionary<string, string?> { ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567" },
            "build", "-p:GitOpsPush=true");

        Assert.IsTrue(result.Succeeded, result.ToString());
        StringAssert.Contains(result.StandardOutput, "GitOps: image tag 0123456 from commit 0123456789abcdef0123456789abcdef01234567 (GITHUB_SHA)");
    }

    [TestMethod]
    public void An_invalid_GitOpsImageTag_fails_with_GITOPS014_before_compiling()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));

        AssertFailsBeforeCompiling(app, "GITOPS014", "GitOpsImageTag", extraArguments: "-p:GitOpsImageTag=-bad/tag");
    }

    [TestMethod]
    public void The_standalone_target_without_GitOpsImage_fails_with_GITOPS004_and_pushes_nothing()
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.WithProject(Project(Complete));
        var before = config.Head;

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS004:");
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void The_standalone_target_with_a_git_protocol_config_repository_fails_with_GITOPS025()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=registry.example.com/app:v1",
            "-p:GitOpsConfigRepository=git://git.example.com/team/config.git");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS025:");
    }

    // ---- Inputs that gave MSB4018 and a stack trace, and outputs after a push (issue 13, items 5 and 8) ----

    private static void AssertNoCrash(ProcessResult result)
    {
        StringAssert.DoesNotMatch(result.StandardOutput, new System.Text.RegularExpressions.Regex(@"MSB4018|^\s+at \S+\(", System.Text.RegularExpressions.RegexOptions.Multiline),
            "no unhandled exception, no stack trace: " + result);
    }

    [TestMethod]
    public void Bad_numbers_a_malformed_branch_a_non_boolean_and_a_token_with_a_line_break_are_all_named_before_compiling()
    {
        using var app = AppWorkspace.WithProject(Project(Complete));

        var result = app.Dotnet(new Dictionary<string, string?> { ["GITOPS_TOKEN"] = "first-line\nsecond-line" },
            "build", "-p:GitOpsPush=true", "-p:GitOpsPushRetries=-1", "-p:GitOpsConfigTimeout=0", "-p:GitOpsConfigBranch=../x", "-p:GitOpsDryRun=yes");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, "error GITOPS037: GitOpsPushRetries is '-1'");
        StringAssert.Contains(result.StandardOutput, "error GITOPS037: GitOpsConfigTimeout is '0'");
        StringAssert.Contains(result.StandardOutput, "error GITOPS039: GitOpsConfigBranch is '../x'");
        StringAssert.Contains(result.StandardOutput, "error GITOPS008: GitOpsDryRun is 'yes'");
        StringAssert.Contains(result.StandardOutput, "error GITOPS035: The environment variable GITOPS_TOKEN contains the control character U+000A");
        Assert.IsFalse(result.ToString().Contains("second-line", StringComparison.Ordinal), "the token is not shown");
        Assert.IsFalse(Directory.Exists(Path.Combine(app.ProjectDirectory, "bin")), "nothing may be compiled");
        AssertNoCrash(result);
    }

    [TestMethod]
    [DataRow("-p:GitOpsCommitMessage=Deploy%00{Tag}", "GITOPS035", "GitOpsCommitMessage")]
    [DataRow("-p:GitOpsCommitAuthorName=%20", "GITOPS036", "GitOpsCommitAuthorName")]
    [DataRow("-p:GitOpsPushRetries=-1", "GITOPS037", "GitOpsPushRetries")]
    [DataRow("-p:GitOpsAllowDowngrade=yes", "GITOPS008", "GitOpsAllowDowngrade")]
    public void The_standalone_target_refuses_a_value_that_used_to_crash_with_a_code_and_pushes_nothing(string argument, string code, string property)
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.FromSample();
        var before = config.Head;

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", argument);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardOutput, $"error {code}: {property}");
        Assert.AreEqual(before, config.Head, "nothing pushed");
        AssertNoCrash(result);
    }

    [TestMethod]
    public void Outputs_that_cannot_be_written_after_the_push_are_warnings_with_the_commit_and_the_build_succeeds()
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.FromSample();
        var before = config.Head;
        var summary = Path.Combine(app.Root, "summary.md");

        var result = app.Dotnet(new Dictionary<string, string?>
            {
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = "/dev/full", ["GITHUB_STEP_SUMMARY"] = summary,
            },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsResultFile={app.Root}");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(before, config.Parent(), "the commit landed");
        var commit = config.Head;
        StringAssert.Contains(result.StandardOutput, $"warning GITOPS062: The step output file (GITHUB_OUTPUT) '/dev/full' could not be written");
        StringAssert.Contains(result.StandardOutput, $"warning GITOPS062: The result file (GitOpsResultFile) '{app.Root}' could not be written");
        StringAssert.Contains(result.StandardOutput, $"config commit {commit}");
        StringAssert.Contains(File.ReadAllText(summary), commit, "the outputs that can be written are");
        AssertNoCrash(result);
    }

    [TestMethod]
    public void Credentials_in_the_CI_build_URL_and_the_source_repository_URL_reach_neither_the_trailers_nor_the_result_file()
    {
        using var config = TestConfigRepository.Local();
        using var app = AppWorkspace.FromSample();
        var secret = "ci-secret-" + Guid.NewGuid().ToString("N")[..8];
        var resultFile = Path.Combine(app.Root, "result.json");

        var result = app.Dotnet(new Dictionary<string, string?>
            {
                ["JENKINS_URL"] = "https://ci.example.com/", ["BUILD_URL"] = $"https://bot:{secret}@ci.example.com/job/app/7/",
            },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsResultFile={resultFile}",
            $"-p:GitOpsSourceRepositoryUrl=https://bot:{secret}@git.example.com/team/app.git");

        Assert.IsTrue(result.Succeeded, result.ToString());
        var trailers = config.Trailers();
        Assert.AreEqual("https://ci.example.com/job/app/7/", trailers["GitOps-Build-Url"]);
        Assert.AreEqual("https://git.example.com/team/app.git", trailers["GitOps-Source-Repository"]);
        var json = File.ReadAllText(resultFile);
        StringAssert.Contains(json, "\"buildUrl\": \"https://ci.example.com/job/app/7/\"");
        Assert.IsFalse((config.Message() + json + result.StandardOutput).Contains(secret, StringComparison.Ordinal), "the secret is nowhere");
    }
}
