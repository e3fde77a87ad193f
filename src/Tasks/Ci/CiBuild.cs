namespace GitOps.Build.Ci;

/// <summary>What the CI system says about the running build; each fact is null when it does not say.</summary>
internal sealed record CiBuild(CiSystem System, string? Commit, string? Branch, string? RunUrl, string? Actor, string? RepositoryUrl);
