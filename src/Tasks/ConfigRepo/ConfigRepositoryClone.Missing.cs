using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>Why a clone found no commit to start from: the branch is missing, or the whole repository is empty.</summary>
internal sealed partial class ConfigRepositoryClone
{
    private static GitOpsException BranchOrRepositoryMissing(bool hasBranches, string branch, ConfigRepositoryLocation location) =>
        hasBranches
            ? new GitOpsException(Errors.ConfigBranchMissing, branch, location.DisplayUrl)
            : new GitOpsException(Errors.ConfigRepositoryEmpty, location.DisplayUrl);

    /// <summary>Asks the remote for its branches, through a throwaway repository (libgit2 needs one to list remote refs).</summary>
    private static bool HasBranches(RemoteAccess access, Deadline deadline, string directory)
    {
        using var probe = new Repository(Repository.Init(directory, isBare: true));
        return access.Run(deadline, () => probe.Network.ListReferences(access.LibGit2Url).Any(reference => reference.IsLocalBranch));
    }
}
