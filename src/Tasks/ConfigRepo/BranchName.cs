using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>What libgit2 accepts as a branch of the config repository.</summary>
internal static class BranchName
{
    public static bool IsValid(string name) => Reference.IsValidName("refs/heads/" + name);
}
