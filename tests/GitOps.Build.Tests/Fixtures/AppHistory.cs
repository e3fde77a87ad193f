using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>An app repository in a temporary directory with a line of empty commits, for deploy-order tests.</summary>
internal sealed class AppHistory : IDisposable
{
    private AppHistory(string root, IReadOnlyList<string> commits)
    {
        Root = root;
        Commits = commits;
    }

    public string Root { get; }

    /// <summary>Full SHAs, oldest first.</summary>
    public IReadOnlyList<string> Commits { get; }

    public static AppHistory Create(int commits)
    {
        var root = TempDirectory.NewPath(null, "gitops-app-history-");
        Directory.CreateDirectory(root);
        GitCli.Run(root, "init", "--quiet", "-b", "main");
        var shas = new List<string>();
        for (var i = 1; i <= commits; i++)
        {
            GitCli.Run(root, "commit", "--quiet", "--allow-empty", "-m", $"app change {i}");
            shas.Add(GitCli.Run(root, "rev-parse", "HEAD"));
        }
        return new AppHistory(root, shas);
    }

    /// <summary>The default image tag of commit <paramref name="index"/> (0-based): its 7-character abbreviation.</summary>
    public string Tag(int index) => Commits[index][..7];

    /// <summary>A commit on a branch of its own, forked from <paramref name="index"/>: unordered relative to later main commits.</summary>
    public string Fork(int index, string branch)
    {
        GitCli.Run(Root, "checkout", "--quiet", "-b", branch, Commits[index]);
        GitCli.Run(Root, "commit", "--quiet", "--allow-empty", "-m", "fork");
        var sha = GitCli.Run(Root, "rev-parse", "HEAD");
        GitCli.Run(Root, "checkout", "--quiet", "main");
        return sha;
    }

    /// <summary>A depth-1 clone, as CI checkouts usually are.</summary>
    public string ShallowClone()
    {
        var clone = Path.Combine(Root, "shallow");
        GitCli.Run(Root, "clone", "--quiet", "--depth", "1", "file://" + Root, clone);
        return clone;
    }

    public void Dispose() => TempDirectory.TryDelete(Root);
}
