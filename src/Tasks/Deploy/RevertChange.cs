using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>
/// A rollback's change: the failed deploy commit's files with the content they had before it. It holds only on that
/// commit itself: on any other tip (the branch moved before the clone, or in a lost push race) the files may hold
/// someone else's deploy, and it refuses with GITOPS160 instead. So a lost race ends the rollback, never re-applies it.
/// </summary>
internal sealed class RevertChange(CommitFileChanges deploy, string branch, string repositoryForMessages) : IConfigChange
{
    public AppliedChange Apply(IConfigTree tree)
    {
        if (!string.Equals(tree.TipSha, deploy.Sha, StringComparison.OrdinalIgnoreCase))
            throw DeployRollback.BranchMoved(deploy.Sha, branch, repositoryForMessages, tree.TipSha);
        // Read, not used: a forge's tree learns each file's mode and id this way, which its commit keeps and guards on (Gitea's sha).
        foreach (var file in deploy.Files)
            tree.FindFile(file.Path);
        return new AppliedChange([.. deploy.Files.Select(file => new ConfigFileChange(file.Path, file.NewContent, file.OldContent))]);
    }
}
