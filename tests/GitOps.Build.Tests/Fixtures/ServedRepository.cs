using GitOps.Build.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// A bare config repository on the test environment's git server (the same directory is served over HTTP, TLS and
/// SSH), seeded with one manifest, plus a scratch directory for the writer's temporary clones. Disposing deletes both.
/// </summary>
internal sealed class ServedRepository : IDisposable
{
    public const string Manifest = "apps/web/deployment.yaml";
    public const string OldManifest = "image: registry.example.com/web:aaa1111\n";
    public const string NewManifest = "image: registry.example.com/web:bbb2222\n";

    private ServedRepository(TestEnvironment environment, string name, string workDirectory)
    {
        Name = name;
        Path = System.IO.Path.Combine(environment.GitProjectRoot, name + ".git");
        WorkDirectory = workDirectory;
    }

    /// <summary>The repository's name on the server, e.g. configrepo-tests/config-1a2b3c (no .git).</summary>
    public string Name { get; }

    /// <summary>The bare repository on disk.</summary>
    public string Path { get; }

    /// <summary>Give this to the writer: its temporary clones go here, and nothing else does.</summary>
    public string WorkDirectory { get; }

    /// <param name="folder">The folder on the server that groups one test class's repositories.</param>
    /// <param name="filters">Whether the server serves filters and wants by id for it (the treeless write-back); null: the environment's default.</param>
    public static ServedRepository Create(TestEnvironment environment, string folder, bool? filters = null)
    {
        var name = folder + "/" + System.IO.Path.GetFileName(TempDirectory.NewPath(null, "config-"));
        var work = TempDirectory.NewPath(null, "gitops-served-work-");
        var seed = System.IO.Path.Combine(TempDirectory.NewPath(null, "gitops-served-seed-"));
        Directory.CreateDirectory(System.IO.Path.Combine(seed, "apps", "web"));
        File.WriteAllText(System.IO.Path.Combine(seed, Manifest), OldManifest);
        environment.CreateBareRepository(name, seed, filters);
        TempDirectory.TryDelete(seed);
        Directory.CreateDirectory(work);
        return new ServedRepository(environment, name, work);
    }

    /// <summary>Its URL under one of the server's bases (GitHttpBase, GitHttpsBase, …).</summary>
    public string Url(string gitBase) => $"{gitBase}/{Name}.git";

    public string Git(params string[] arguments) => GitCli.Run(Path, arguments);

    public string Tip(string branch = "main") => Git("rev-parse", "refs/heads/" + branch);

    /// <summary>The writer's temporary clones are all gone.</summary>
    public void AssertNoClonesLeft() => TemporaryClones.AssertNoneLeft(WorkDirectory);

    /// <summary>A change that writes <see cref="NewManifest"/>, calling <paramref name="duringApply"/> with the round's number first.</summary>
    public static FunctionChange ReplaceManifest(Action<int>? duringApply = null) =>
        new((_, application) =>
        {
            duringApply?.Invoke(application);
            return new Dictionary<string, byte[]> { [Manifest] = System.Text.Encoding.UTF8.GetBytes(NewManifest) };
        });

    /// <summary>Another pipeline's commit, pushed straight into the bare repository on disk (from outside <see cref="WorkDirectory"/>).</summary>
    public void PushCompetingCommit()
    {
        var work = TempDirectory.NewPath(null, "gitops-served-competitor-");
        try
        {
            GitCli.Run(System.IO.Path.GetTempPath(), "clone", "--quiet", Path, work);
            File.WriteAllText(System.IO.Path.Combine(work, "apps", "api.yaml"), "image: registry.example.com/api:ddd4444\n");
            GitCli.Run(work, "add", "--all");
            GitCli.Run(work, "commit", "--quiet", "-m", "deploy(api): ddd4444");
            GitCli.Run(work, "push", "--quiet", "origin", "main");
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
    }

    public void Dispose()
    {
        TempDirectory.TryDelete(Path);
        TempDirectory.TryDelete(WorkDirectory);
    }
}
