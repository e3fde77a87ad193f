namespace GitOps.Build.Ci;

/// <summary>
/// Where CI systems put the commit being built and the repository it came from, for sources exported
/// without a usable .git. Checked in this order; the first variable that is set wins.
/// </summary>
public static class CiSourceVariables
{
    public sealed record Entry(string CommitVariable, Func<Func<string, string?>, string?> RepositoryUrl);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("GITHUB_SHA", env => Join(env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY"))),
        new("CI_COMMIT_SHA", env => env("CI_PROJECT_URL")),
        new("BUILD_SOURCEVERSION", env => env("BUILD_REPOSITORY_URI")),
        new("GIT_COMMIT", env => env("GIT_URL")),
    ];

    public static IEnumerable<string> CommitVariableNames => All.Select(e => e.CommitVariable);

    private static string? Join(string? server, string? repository) =>
        string.IsNullOrEmpty(server) || string.IsNullOrEmpty(repository) ? null : $"{server.TrimEnd('/')}/{repository}";
}
