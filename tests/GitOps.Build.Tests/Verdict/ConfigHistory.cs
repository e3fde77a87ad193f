using LibGit2Sharp;

namespace GitOps.Build.Tests.Verdict;

/// <summary>
/// A real local config repository with three commits in a line: <see cref="Before"/> (what ran before), the
/// <see cref="Deploy"/> commit, and <see cref="Later"/> (another deploy on top), plus <see cref="Aside"/> on another
/// branch: what the "deploy commit or a descendant" check is asked about.
/// </summary>
public sealed class ConfigHistory : IDisposable
{
    public ConfigHistory()
    {
        Path = Directory.CreateTempSubdirectory("gitops-verdict-").FullName;
        Repository.Init(Path);
        using var repository = new Repository(Path);
        var who = new Signature("GitOps.Build", "gitops@example.com", DateTimeOffset.UnixEpoch);
        Commit Make(string message, params Commit[] parents)
        {
            var tree = repository.ObjectDatabase.CreateTree(new TreeDefinition().Add("m.yaml",
                repository.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message))), Mode.NonExecutableFile));
            return repository.ObjectDatabase.CreateCommit(who, who, message, tree, parents, false);
        }
        var before = Make("before");
        var deploy = Make("deploy", before);
        var later = Make("later", deploy);
        var aside = Make("aside", before);
        repository.Refs.Add("refs/heads/main", later.Id);
        repository.Refs.Add("refs/heads/aside", aside.Id);
        (Before, Deploy, Later, Aside) = (before.Sha, deploy.Sha, later.Sha, aside.Sha);
    }

    public string Path { get; }

    public string Before { get; }

    public string Deploy { get; }

    public string Later { get; }

    public string Aside { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
