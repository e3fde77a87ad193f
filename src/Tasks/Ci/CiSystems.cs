using GitOps.Build.Diagnostics;
namespace GitOps.Build.Ci;

/// <summary>
/// The CI systems GitOps.Build recognises, in the order their commit variables are tried for sources exported
/// without a .git directory. Every variable name here is the one the system documents.
/// </summary>
internal static class CiSystems
{
    public static readonly IReadOnlyList<CiSystem> All =
    [
        new("GitHub Actions", "GITHUB_ACTIONS", "GITHUB_SHA",
            Branch: env => First(env("GITHUB_HEAD_REF"), env("GITHUB_REF_NAME")),
            RunUrl: env => Join(env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY"), "actions/runs", env("GITHUB_RUN_ID")),
            Actor: env => env("GITHUB_ACTOR"),
            RepositoryUrl: env => Join(env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY"))),
        new("GitLab CI", "GITLAB_CI", "CI_COMMIT_SHA",
            Branch: env => First(env("CI_COMMIT_BRANCH"), env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"), env("CI_COMMIT_REF_NAME")),
            RunUrl: env => First(env("CI_JOB_URL"), env("CI_PIPELINE_URL")),
            Actor: env => env("GITLAB_USER_LOGIN"),
            RepositoryUrl: env => env("CI_PROJECT_URL")),
        new("Azure Pipelines", "TF_BUILD", "BUILD_SOURCEVERSION",
            Branch: env => First(env("SYSTEM_PULLREQUEST_SOURCEBRANCH"), env("BUILD_SOURCEBRANCH"))?.Replace("refs/heads/", "", StringComparison.Ordinal),
            RunUrl: env => env("SYSTEM_COLLECTIONURI") is { } collection && env("SYSTEM_TEAMPROJECT") is { } project && env("BUILD_BUILDID") is { } id
                ? $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={id}"
                : null,
            Actor: env => env("BUILD_REQUESTEDFOR"),
            RepositoryUrl: env => env("BUILD_REPOSITORY_URI")),
        new("Jenkins", "JENKINS_URL", "GIT_COMMIT",
            Branch: env => First(env("BRANCH_NAME"), env("GIT_LOCAL_BRANCH"), env("GIT_BRANCH")),
            RunUrl: env => env("BUILD_URL"),
            Actor: env => First(env("BUILD_USER_ID"), env("CHANGE_AUTHOR")),
            RepositoryUrl: env => env("GIT_URL")),
        new("Buildkite", "BUILDKITE", "BUILDKITE_COMMIT",
            Branch: env => env("BUILDKITE_BRANCH"),
            RunUrl: env => env("BUILDKITE_BUILD_URL"),
            Actor: env => First(env("BUILDKITE_BUILD_CREATOR"), env("BUILDKITE_BUILD_AUTHOR")),
            RepositoryUrl: env => env("BUILDKITE_REPO")),
        new("CircleCI", "CIRCLECI", "CIRCLE_SHA1",
            Branch: env => env("CIRCLE_BRANCH"),
            RunUrl: env => env("CIRCLE_BUILD_URL"),
            Actor: env => env("CIRCLE_USERNAME"),
            RepositoryUrl: env => env("CIRCLE_REPOSITORY_URL")),
        // TeamCity passes branch, URL and user as build parameters, not environment variables, unless the build maps them.
        new("TeamCity", "TEAMCITY_VERSION", "BUILD_VCS_NUMBER",
            Branch: _ => null,
            RunUrl: _ => null,
            Actor: _ => null,
            RepositoryUrl: _ => null),
        new("Bitbucket Pipelines", "BITBUCKET_BUILD_NUMBER", "BITBUCKET_COMMIT",
            Branch: env => env("BITBUCKET_BRANCH"),
            RunUrl: env => env("BITBUCKET_GIT_HTTP_ORIGIN") is { } origin && env("BITBUCKET_BUILD_NUMBER") is { } number
                ? $"{origin.TrimEnd('/')}/addon/pipelines/home#!/results/{number}"
                : null,
            Actor: env => env("BITBUCKET_STEP_TRIGGERER_UUID"),
            RepositoryUrl: env => env("BITBUCKET_GIT_HTTP_ORIGIN")),
    ];

    /// <summary>
    /// Every variable a build reads to learn the CI system it runs in and where its outputs go. Derived from the table
    /// (each function is asked once with every variable set, so it reads all it can) so it cannot fall behind it:
    /// whatever runs builds in a controlled environment (the tests' child processes) clears these.
    /// </summary>
    internal static IReadOnlyList<string> Variables { get; } = ReadVariables();

    /// <summary>The system this build runs in, or null outside any known CI.</summary>
    public static CiBuild? Detect(Func<string, string?> environment)
    {
        var get = NonEmpty(environment);
        var system = All.FirstOrDefault(s => get(s.DetectionVariable) is not null);
        return system is null
            ? null
            : new CiBuild(system, get(system.CommitVariable), system.Branch(get), Redact(system.RunUrl(get)), system.Actor(get), Redact(system.RepositoryUrl(get)));
    }

    /// <summary>An environment reader for which blank counts as unset.</summary>
    public static Func<string, string?> NonEmpty(Func<string, string?> environment) =>
        name => string.IsNullOrWhiteSpace(environment(name)) ? null : environment(name)!.Trim();

    // CI variables may carry credentials (a Jenkins URL with user:token@); they end up in trailers and result files.
    private static string? Redact(string? url) => url is null ? null : UrlRedactor.Redact(url);

    private static IReadOnlyList<string> ReadVariables()
    {
        var names = new List<string>();
        string? Record(string name)
        {
            names.Add(name);
            return "set";
        }
        foreach (var system in All)
        {
            names.Add(system.DetectionVariable);
            names.Add(system.CommitVariable);
            foreach (var read in new[] { system.Branch, system.RunUrl, system.Actor, system.RepositoryUrl })
                read(Record);
        }
        return [.. names.Concat(CiOutputWriter.Variables).Distinct(StringComparer.Ordinal)];
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static string? Join(string? server, params string?[] parts) =>
        string.IsNullOrEmpty(server) || parts.Any(string.IsNullOrEmpty) ? null : string.Join('/', [server.TrimEnd('/'), .. parts]);
}
