using System.Text;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// A bare config repository made with the git CLI in a temporary directory (file transport), plus a scratch directory
/// to use as the writer's WorkDirectory. Files are seeded in one initial commit.
/// </summary>
internal sealed class ConfigRemote : IDisposable
{
    private int scratchClones;

    private ConfigRemote(string root, string bareRepositoryPath)
    {
        Root = root;
        Path = bareRepositoryPath;
        WorkDirectory = System.IO.Path.Combine(root, "work");
        Directory.CreateDirectory(WorkDirectory);
    }

    public string Root { get; }

    /// <summary>The bare repository: what a writer clones.</summary>
    public string Path { get; }

    /// <summary>Give this to the writer to see (and count) its temporary clones.</summary>
    public string WorkDirectory { get; }

    public static ConfigRemote Create(string defaultBranch = "main", IReadOnlyDictionary<string, string>? files = null, params string[] otherBranches)
    {
        var root = TempDirectory.NewPath(null, "gitops-test-");
        Directory.CreateDirectory(root);
        var remote = new ConfigRemote(root, System.IO.Path.Combine(root, "config.git"));
        GitCli.Run(root, "init", "--quiet", "--bare", "-b", defaultBranch, remote.Path);
        if (files is null)
            return remote;

        remote.Change(defaultBranch, "Initial manifests", files);
        foreach (var branch in otherBranches)
            GitCli.Run(remote.Path, "branch", branch, defaultBranch);
        return remote;
    }

    /// <summary>Commits and pushes with the git CLI, as a competing pipeline would.</summary>
    public string Change(string branch, string message, IReadOnlyDictionary<string, string> files, params string[] executables) =>
        Change(branch, message, files, new Dictionary<string, string>(), executables);

    /// <summary>Like the other overload, and also commits symbolic links (path → target), stored as Git link blobs.</summary>
    public string Change(string branch, string message, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string> links, params string[] executables)
    {
        var work = System.IO.Path.Combine(Root, "scratch" + Interlocked.Increment(ref scratchClones));
        GitCli.Run(Root, "clone", "--quiet", Path, work);
        if (GitCli.Run(work, "branch", "--list", "--remotes", "origin/" + branch).Length > 0)
            GitCli.Run(work, "checkout", "--quiet", branch);
        else
            GitCli.Run(work, "checkout", "--quiet", "--orphan", branch);

        foreach (var (path, content) in files)
        {
            var fullPath = System.IO.Path.Combine(work, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            File.WriteAllText(fullPath, content);
        }

        foreach (var (path, target) in links)
        {
            var fullPath = System.IO.Path.Combine(work, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            File.CreateSymbolicLink(fullPath, target);
        }

        GitCli.Run(work, "add", "--all");
        foreach (var executable in executables)
            GitCli.Run(work, "update-index", "--chmod=+x", executable);
        GitCli.Run(work, "commit", "--quiet", "-m", message);
        GitCli.Run(work, "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
        TempDirectory.TryDelete(work);
        return Tip(branch);
    }

    public string Git(params string[] arguments) => GitCli.Run(Path, arguments);

    public string Tip(string branch) => Git("rev-parse", "refs/heads/" + branch);

    public byte[] Show(string revision, string path) => GitCli.RunBytes(Path, "show", $"{revision}:{path}");

    /// <summary>The commit's message exactly as stored (everything after the header's blank line).</summary>
    public string RawMessage(string sha)
    {
        var raw = Encoding.UTF8.GetString(GitCli.RunBytes(Path, "cat-file", "commit", sha));
        return raw[(raw.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }

    public void Dispose() => TempDirectory.TryDelete(Root);
}
