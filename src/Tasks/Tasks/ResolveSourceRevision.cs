using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Reads the app commit being built and derives the image tag from it.</summary>
public sealed partial class ResolveSourceRevision : GitOpsTask
{
    protected override void ExecuteCore()
    {
        var explicitTag = string.IsNullOrWhiteSpace(ImageTag) ? null : ImageTagRule.Validate(ImageTag.Trim());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var allowDirty = Blank(AllowDirty) is { } dirty && ManifestOptionsReader.ParseBoolean(dirty, "GitOpsAllowDirty");
        var revision = SourceRevisionReader.TryRead(ProjectDirectory, allowDirty)
            ?? (CiSourceCommit.Read(GetEnvironmentVariable) is { } ci ? SourceRevision.FromFullSha(ci.Sha, ci.RepositoryUrl, ci.Variable) : null);
        if (revision is null && explicitTag is null)
            throw new GitOpsException(Errors.NoSourceCommit, ProjectDirectory);

        ResolvedImageTag = explicitTag ?? revision!.ShortSha;
        SourceCommit = revision?.CommitSha ?? "";
        SourceRepositoryUrl = revision?.RepositoryUrl ?? "";
        BuildLog.Important(revision is null
            ? Messages.TagFromProperty(ResolvedImageTag)
            : Messages.TagResolved(ResolvedImageTag, revision.CommitSha, revision.Origin, clock.Elapsed));
    }
}
