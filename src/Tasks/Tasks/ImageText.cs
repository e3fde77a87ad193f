using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tasks;

/// <summary>What one project deploys, as its targets give it: the image and its provenance, nothing checked yet.</summary>
internal sealed record ImageText(string? Image, string? ImageDigest, string? SourceCommit, string? SourceRepositoryUrl, string? ProjectPath)
{
    /// <summary>The deploy's facts, with the CI run's URL and (GitOpsArgoCdTrailers) the app commit Argo CD's trailers name.</summary>
    public DeploymentFacts Facts(ConfigInputs inputs, Func<string, string?> getEnvironmentVariable)
    {
        if (string.IsNullOrWhiteSpace(Image)) throw new GitOpsException(Errors.ImageMissing);
        return new DeploymentFacts(ImageReference.Parse(Image.Trim()), Blank(ImageDigest), Blank(SourceCommit),
            Blank(SourceRepositoryUrl) is { } source ? UrlRedactor.Redact(source) : null, Blank(ProjectPath),
            CiSystems.Detect(getEnvironmentVariable)?.RunUrl, ReferencedAppCommit(inputs));
    }

    // Argo CD's trailers name the app commit: all of it from the app repository when it holds the commit, else only
    // what the build was told (SHA, repository URL).
    private AppCommit? ReferencedAppCommit(ConfigInputs inputs)
    {
        if (!inputs.ArgoCdTrailers || Blank(SourceCommit) is not { } sha)
            return null;
        var read = inputs.AppRepositoryDirectory is { } directory ? SourceRevisionReader.TryReadCommit(directory, sha) : null;
        return (read ?? new AppCommit(sha)) with { RepositoryUrl = Blank(SourceRepositoryUrl) ?? read?.RepositoryUrl };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
