using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// GitOpsCommitMethod=api: whether an agent's revision is the deploy commit or a later commit of the branch, asked of the
/// forge's API with no clone: the branch's tip, then whether the deploy commit is an ancestor of the revision and the
/// revision one of the tip (a clone holds the branch only: a commit of another branch is not the deploy's). At most
/// three calls per revision; the caller asks each revision once. A forge that does not answer is GITOPS153.
/// </summary>
/// <remarks>owner: what holds the forge's client (its HTTP stack), disposed with this.</remarks>
internal sealed class ForgeAncestry(IForgeCommits forge, IDisposable owner) : ICommitAncestry
{
    public bool? Relation(ConfigRepositoryLocation repository, string branch, string revision, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (string.Equals(revision, commit, StringComparison.OrdinalIgnoreCase))
            return true;
        string? missing = null;
        try
        {
            // The tip first: it shows the repository and branch are there, so a commit the forge does not know is simply not the deploy.
            if (Run(forge.ReadTipAsync(branch, cancellationToken)) is not { } tip)
                missing = "the branch does not exist";
            else if (Run(forge.IsAncestorAsync(commit, revision, branch, cancellationToken)) != true)
                return false;
            else
                return string.Equals(tip.Sha, revision, StringComparison.OrdinalIgnoreCase)
                       || Run(forge.IsAncestorAsync(revision, tip.Sha, branch, cancellationToken)) == true;
        }
        catch (GitOpsException e)
        {
            throw Unanswered(repository, branch, revision, commit, $"{e.Code}: {e.Message}", e);
        }
        throw Unanswered(repository, branch, revision, commit, missing, null);
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private GitOpsException Unanswered(ConfigRepositoryLocation repository, string branch, string revision, string commit, string reason, Exception? inner)
    {
        object?[] args = [forge.Repository.Kind, UrlRedactor.Redact(forge.Repository.ApiRoot.ToString()), revision, commit[..Math.Min(7, commit.Length)],
            $"'{branch}' of {repository.DisplayUrl}", reason];
        return inner is null ? new GitOpsException(Errors.AncestryUnanswered, args) : new GitOpsException(inner, Errors.AncestryUnanswered, args);
    }

    public void Dispose() => owner.Dispose();
}
