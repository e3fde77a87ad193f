using GitOps.Build.Ci;

namespace GitOps.Build.Tests.Ci;

/// <summary>Each CI system, with the variables it documents setting, and what GitOps.Build derives from them.</summary>
[TestClass]
public sealed class CiSystemsTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    public static IEnumerable<object?[]> Systems =>
    [
        ["GitHub Actions", new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = Sha, ["GITHUB_REF_NAME"] = "main", ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_REPOSITORY"] = "team/app", ["GITHUB_RUN_ID"] = "42", ["GITHUB_ACTOR"] = "octocat",
        }, "main", "https://github.com/team/app/actions/runs/42", "octocat", "https://github.com/team/app"],
        ["GitLab CI", new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true", ["CI_COMMIT_SHA"] = Sha, ["CI_COMMIT_REF_NAME"] = "main", ["CI_COMMIT_BRANCH"] = "main",
            ["CI_JOB_URL"] = "https://gitlab.com/team/app/-/jobs/7", ["GITLAB_USER_LOGIN"] = "dev", ["CI_PROJECT_URL"] = "https://gitlab.com/team/app",
        }, "main", "https://gitlab.com/team/app/-/jobs/7", "dev", "https://gitlab.com/team/app"],
        ["Azure Pipelines", new Dictionary<string, string>
        {
            ["TF_BUILD"] = "True", ["BUILD_SOURCEVERSION"] = Sha, ["BUILD_SOURCEBRANCH"] = "refs/heads/main",
            ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/org/", ["SYSTEM_TEAMPROJECT"] = "My Project", ["BUILD_BUILDID"] = "9",
            ["BUILD_REQUESTEDFOR"] = "Dev One", ["BUILD_REPOSITORY_URI"] = "https://dev.azure.com/org/p/_git/app",
        }, "main", "https://dev.azure.com/org/My%20Project/_build/results?buildId=9", "Dev One", "https://dev.azure.com/org/p/_git/app"],
        ["Jenkins", new Dictionary<string, string>
        {
            ["JENKINS_URL"] = "https://ci.example.com/", ["GIT_COMMIT"] = Sha, ["GIT_BRANCH"] = "origin/main", ["BRANCH_NAME"] = "main",
            ["BUILD_URL"] = "https://ci.example.com/job/app/3/", ["CHANGE_AUTHOR"] = "dev", ["GIT_URL"] = "https://git.example.com/app.git",
        }, "main", "https://ci.example.com/job/app/3/", "dev", "https://git.example.com/app.git"],
        ["Buildkite", new Dictionary<string, string>
        {
            ["BUILDKITE"] = "true", ["BUILDKITE_COMMIT"] = Sha, ["BUILDKITE_BRANCH"] = "main",
            ["BUILDKITE_BUILD_URL"] = "https://buildkite.com/org/app/builds/5", ["BUILDKITE_BUILD_CREATOR"] = "Dev", ["BUILDKITE_REPO"] = "git@github.com:org/app.git",
        }, "main", "https://buildkite.com/org/app/builds/5", "Dev", "git@github.com:org/app.git"],
        ["CircleCI", new Dictionary<string, string>
        {
            ["CIRCLECI"] = "true", ["CIRCLE_SHA1"] = Sha, ["CIRCLE_BRANCH"] = "main", ["CIRCLE_BUILD_URL"] = "https://circleci.com/gh/org/app/8",
            ["CIRCLE_USERNAME"] = "dev", ["CIRCLE_REPOSITORY_URL"] = "https://github.com/org/app",
        }, "main", "https://circleci.com/gh/org/app/8", "dev", "https://github.com/org/app"],
        ["TeamCity", new Dictionary<string, string>
        {
            ["TEAMCITY_VERSION"] = "2024.12", ["BUILD_VCS_NUMBER"] = Sha,
        }, null, null, null, null],
        ["Bitbucket Pipelines", new Dictionary<string, string>
        {
            ["BITBUCKET_BUILD_NUMBER"] = "12", ["BITBUCKET_COMMIT"] = Sha, ["BITBUCKET_BRANCH"] = "main",
            ["BITBUCKET_GIT_HTTP_ORIGIN"] = "http://bitbucket.org/team/app", ["BITBUCKET_STEP_TRIGGERER_UUID"] = "{uuid}",
        }, "main", "http://bitbucket.org/team/app/addon/pipelines/home#!/results/12", "{uuid}", "http://bitbucket.org/team/app"],
    ];

    [TestMethod]
    [DynamicData(nameof(Systems))]
    public void Each_system_is_detected_with_commit_branch_run_url_and_actor(
        string system, Dictionary<string, string> variables, string? branch, string? runUrl, string? actor, string? repository)
    {
        var build = CiSystems.Detect(name => variables.GetValueOrDefault(name));

        Assert.IsNotNull(build);
        Assert.AreEqual(system, build.System.Name);
        Assert.AreEqual(Sha, build.Commit);
        Assert.AreEqual(branch, build.Branch);
        Assert.AreEqual(runUrl, build.RunUrl);
        Assert.AreEqual(actor, build.Actor);
        Assert.AreEqual(repository, build.RepositoryUrl);
    }

    [TestMethod]
    public void Every_system_in_the_table_is_covered_by_the_cases() =>
        CollectionAssert.AreEquivalent(CiSystems.All.Select(s => s.Name).ToArray(), Systems.Select(s => (string)s[0]!).ToArray());

    [TestMethod]
    public void A_pull_request_reports_its_source_branch()
    {
        var build = CiSystems.Detect(name => name switch
        {
            "GITHUB_ACTIONS" => "true",
            "GITHUB_REF_NAME" => "12/merge",
            "GITHUB_HEAD_REF" => "feature/x",
            _ => null,
        });

        Assert.AreEqual("feature/x", build!.Branch);
    }

    [TestMethod]
    public void Outside_CI_nothing_is_detected() => Assert.IsNull(CiSystems.Detect(_ => null));

    [TestMethod]
    public void Blank_variables_count_as_unset() => Assert.IsNull(CiSystems.Detect(_ => " "));

    [TestMethod]
    public void Credentials_in_a_CI_URL_variable_are_removed_from_the_build_and_repository_URLs()
    {
        var variables = new Dictionary<string, string>
        {
            ["JENKINS_URL"] = "https://ci.example.com/", ["GIT_COMMIT"] = Sha,
            ["BUILD_URL"] = "https://bot:s3cret@ci.example.com/job/app/3/", ["GIT_URL"] = "https://bot:s3cret@git.example.com/app.git",
        };

        var build = CiSystems.Detect(name => variables.GetValueOrDefault(name))!;

        Assert.AreEqual("https://ci.example.com/job/app/3/", build.RunUrl);
        Assert.AreEqual("https://git.example.com/app.git", build.RepositoryUrl);
    }
}
