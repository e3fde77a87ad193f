namespace GitOps.Build.Ci;

/// <summary>
/// How one CI system describes the build it runs, read from the environment variables it documents.
/// Each function gets a reader that returns null for unset variables, and returns null when the system does not say.
/// </summary>
internal sealed record CiSystem(
    string Name,
    string DetectionVariable,
    string CommitVariable,
    Func<Func<string, string?>, string?> Branch,
    Func<Func<string, string?>, string?> RunUrl,
    Func<Func<string, string?>, string?> Actor,
    Func<Func<string, string?>, string?> RepositoryUrl);
