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
        ReleaseDirectory = TempDirectory.NewPath(null, DirectoryPrefix);
        // Only this user may add an entry: an entry names what is deployed.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(ReleaseDirectory);
        else
            Directory.CreateDirectory(ReleaseDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        BuildLog.Important(Messages.ReleaseStarted(ReleaseDirectory));
    }
}
