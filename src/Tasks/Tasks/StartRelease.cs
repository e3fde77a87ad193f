using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// In a solution or traversal project, before its projects are published: makes the directory, unique to this build,
/// where each project's <see cref="WriteReleaseEntry"/> leaves its image, and deletes those that builds which ended
/// without committing left behind.
/// </summary>
public sealed partial class StartRelease : GitOpsTask
{
    /// <summary>Temporary release directories: &lt;prefix&gt;&lt;process id&gt;-&lt;random&gt;, swept like clones.</summary>
    internal const string DirectoryPrefix = "gitops-release-";

    protected override void ExecuteCore()
    {
        TempDirectory.SweepStale(null, DirectoryPrefix);
        // Private (0700): only this user may add an entry, since an entry names what is deployed.
        ReleaseDirectory = TempDirectory.Create(null, DirectoryPrefix);
        BuildLog.Important(Messages.ReleaseStarted(ReleaseDirectory));
    }
}
