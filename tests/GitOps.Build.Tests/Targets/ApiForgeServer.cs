using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// GitOpsCommitMethod=api's target tests: a forge's contract server over <paramref name="Git"/>, and what the build is
/// told about it. The config repository's URL names a host that cannot exist (.invalid), so any clone fails the build.
/// </summary>
internal sealed record ApiForgeServer(string Name, SimulatedGitStore Git, ContractServer Server, Uri ApiRoot, string ConfigUrl, string Token, string HistoryOperation) : IDisposable
{
    public void Dispose() => Server.Dispose();

    /// <summary>The call the deploy wait asks whether a revision is the deploy commit or later (compare, merge base).</summary>
    public string AncestryOperation => Name switch
    {
        "GitHub" => "repos/compare-commits-with-basehead",
        "GitLab" => "getApiV4ProjectsIdRepositoryMergeBase",
        "AzureDevOps" => "Merge Bases_List",
        "Gitea" => "repoCompareDiff",
        _ => "GET /repositories/{workspace}/{repo_slug}/merge-base/{revspec}",
    };

    /// <summary>Seeds the forge's repository with <paramref name="seed"/>, then starts its contract server (which serves what the store holds).</summary>
    public static ApiForgeServer Start(string forge, Action<SimulatedGitStore> seed)
    {
        if (forge == "GitHub")
        {
            var github = new GitHubContract();
            seed(github.Git);
            return new(forge, github.Git, github.Server, github.Server.ApiRoot, "https://github.invalid/team/config.git", GitHubContract.Token, "repos/list-commits");
        }
        var git = new SimulatedGitStore();
        seed(git);
        var (server, root, url, operation) = forge switch
        {
            "GitLab" => Started(GitLabContract.Start(new SimulatedRepository(), "team/platform/config", git), "https://gitlab.invalid/team/platform/config.git",
                "getApiV4ProjectsIdRepositoryCommits"),
            "AzureDevOps" => Started(AzureDevOpsContract.Start(new SimulatedRepository(), "Fabrikam", "config", git), "https://azure.invalid/contoso/Fabrikam/_git/config",
                "Commits_Get Commits Batch"),
            "Gitea" => Started(GiteaContract.Start(new SimulatedRepository(), "team", "config", git), "https://gitea.invalid/team/config.git", "repoGetAllCommits"),
            _ => Started(BitbucketContract.Start(new SimulatedRepository(), "team", "config", git), "https://bitbucket.invalid/team/config.git",
                "GET /repositories/{workspace}/{repo_slug}/commits/{revision}"),
        };
        return new(forge, git, server, root, url, "good", operation);
    }

    private static (ContractServer, Uri, string, string) Started((ContractServer Server, Uri ApiRoot) started, string url, string operation) =>
        (started.Server, started.ApiRoot, url, operation);
}
