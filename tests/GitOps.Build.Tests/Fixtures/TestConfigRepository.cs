using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// A config repository seeded from samples/config-repo, read back with the real `git` CLI straight from
/// the server's bare repository, so assertions see exactly what a cluster agent would fetch.
/// </summary>
internal sealed class TestConfigRepository : IDisposable
{
    public const string DeploymentPath = "apps/sample-app/deployment.yaml";
    public const string InitialImage = "127.0.0.1:5000/team/sample-app:initial";

    private readonly string? _ownedDirectory;

    private TestConfigRepository(string url, string gitDirectory, string? ownedDirectory)
    {
        Url = url;
        GitDirectory = gitDirectory;
        _ownedDirectory = ownedDirectory;
    }

    public string Url { get; }

    public string GitDirectory { get; }

    private static string Seed => Path.Combine(SdkPackage.RepositoryRoot, "samples", "config-repo");

    /// <summary>A repository on the HTTP server with basic auth.</summary>
    public static TestConfigRepository OnServer(TestEnvironment environment) => OnServer(environment, Seed);

    /// <summary>A repository on the HTTP server seeded from <paramref name="seedDirectory"/> (e.g. the sample plus more apps).</summary>
    public static TestConfigRepository OnServer(TestEnvironment environment, string seedDirectory) => OnServer(environment, seedDirectory, null);

    /// <summary>
    /// The same, served under <paramref name="directory"/> (e.g. <c>contoso/project/_git</c>, the path an Azure DevOps
    /// repository URL has, from which the forge's coordinates are read).
    /// </summary>
    public static TestConfigRepository OnServer(TestEnvironment environment, string seedDirectory, string? directory)
    {
        var name = (directory is null ? "" : directory.Trim('/') + "/") + "config-" + Guid.NewGuid().ToString("N")[..12];
        var url = environment.CreateBareRepository(name, seedDirectory);
        return new TestConfigRepository(url, Path.Combine(environment.GitProjectRoot, name + ".git"), null);
    }

    /// <summary>The same, reached over SSH: ssh://… or scp-style user@host:path (see build/env/ssh-server.sh).</summary>
    public static TestConfigRepository OnSshServer(TestEnvironment environment, bool scpStyle)
    {
        var name = "config-" + Guid.NewGuid().ToString("N")[..12];
        environment.CreateBareRepository(name, Seed);
        var url = scpStyle ? environment.ScpRepositoryUrl(name) : environment.SshRepositoryUrl(name);
        return new TestConfigRepository(url, Path.Combine(environment.GitProjectRoot, name + ".git"), null);
    }

    /// <summary>A bare repository on the local file system (no server needed).</summary>
    public static TestConfigRepository Local()
    {
        var root = Directory.CreateTempSubdirectory("gitops-config-").FullName;
        var bare = Path.Combine(root, "config.git");
        var work = Path.Combine(root, "seed");
        Git(null, "init", "-q", "--bare", "-b", "main", bare);
        Git(null, "clone", "-q", bare, work);
        foreach (var file in Directory.EnumerateFiles(Seed, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(work, Path.GetRelativePath(Seed, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        Git(work, "add", "-A");
        Git(work, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "commit", "-q", "-m", "Initial config");
        Git(work, "push", "-q", "origin", "main");
        return new TestConfigRepository(bare, bare, root);
    }

    public string Head => GitHere("rev-parse", "main").Trim();

    public int CommitCount => int.Parse(GitHere("rev-list", "--count", "main").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public string Message(string revision = "main") => GitHere("log", "-1", "--format=%B", revision);

    public string Subject(string revision = "main") => GitHere("log", "-1", "--format=%s", revision).Trim();

    public string Parent(string revision = "main") => GitHere("rev-parse", revision + "^").Trim();

    /// <summary>The commit <paramref name="revision"/> names (a branch, a tag, …).</summary>
    public string Sha(string revision) => GitHere("rev-parse", revision).Trim();

    public byte[] ReadFile(string path, string revision = "main")
    {
        var result = ProcessRunner.Run("git", ["--git-dir", GitDirectory, "cat-file", "blob", $"{revision}:{path}"]);
        Assert.IsTrue(result.Succeeded, result.ToString());
        // cat-file writes raw bytes; the runner decodes UTF-8, which round-trips the ASCII/UTF-8 manifests used here.
        return System.Text.Encoding.UTF8.GetBytes(result.StandardOutput);
    }

    public string[] ChangedFiles(string from, string to) =>
        GitHere("diff", "--name-only", from, to).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyDictionary<string, string> Trailers(string revision = "main") => GitTrailers.Parse(Message(revision));

    /// <summary>Reverts a commit the way a person would: clone, `git revert`, push.</summary>
    public void Revert(string revision)
    {
        var work = Directory.CreateTempSubdirectory("gitops-revert-").FullName;
        try
        {
            Git(null, "clone", "-q", GitDirectory, work);
            Git(work, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "revert", "--no-edit", revision);
            Git(work, "push", "-q", "origin", "HEAD:main");
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(work);
        }
    }

    /// <summary>Lands another commit on main the way another pipeline would: clone, write a file, commit, push. Returns main's new tip.</summary>
    public string Push(string path, string content, string message)
    {
        var work = Directory.CreateTempSubdirectory("gitops-push-").FullName;
        try
        {
            Git(null, "clone", "-q", "--branch", "main", GitDirectory, work);
            var file = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
            Git(work, "add", "-A");
            Git(work, "-c", "user.name=Platform", "-c", "user.email=platform@example.com", "commit", "-q", "-m", message);
            Git(work, "push", "-q", "origin", "HEAD:main");
            return Git(work, "rev-parse", "HEAD").Trim();
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(work);
        }
    }

    /// <summary>Merges a branch into main the way a forge merges a pull request: a merge commit, pushed. Returns main's new tip.</summary>
    public string Merge(string branch, string message)
    {
        var work = Directory.CreateTempSubdirectory("gitops-merge-").FullName;
        try
        {
            Git(null, "clone", "-q", "--branch", "main", GitDirectory, work);
            Git(work, "-c", "user.name=GitHub", "-c", "user.email=noreply@github.example", "merge", "--no-ff", "-m", message, "origin/" + branch);
            Git(work, "push", "-q", "origin", "HEAD:main");
            return Git(work, "rev-parse", "HEAD").Trim();
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(work);
        }
    }

    public void Dispose()
    {
        if (_ownedDirectory is not null) GitOps.Build.ConfigRepo.TempDirectory.TryDelete(_ownedDirectory);
    }

    private string GitHere(params string[] arguments) => Git(null, ["--git-dir", GitDirectory, .. arguments]);

    private static string Git(string? directory, params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, directory);
        Assert.IsTrue(result.Succeeded, $"git {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }
}
