using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;
using LibGit2Sharp;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// GitOpsConfigTimeout and Ctrl+C hold during a glob's walk over a large config repository (issue 20, item 4): the walk
/// stops at the next directory, not after the whole tree. A real bare repository of 20,000 files in 100 directories,
/// written in one go by git fast-import; what the walk visits is counted, never timed.
/// </summary>
[TestClass]
public sealed class ConfigTreeWalkLimitTests
{
    private const int Directories = 100;
    private const int FilesPerDirectory = 200;
    private const string Glob = "apps/**/*.yaml";

    // A Helm template: a glob skips it saying so (a Detail line per file), which counts the files the deploy read.
    private const string Template = "image: \"{{ .Values.image }}\n";

    private static ConfigRemote remote = null!;

    [ClassInitialize]
    public static void CreateRepository(TestContext _)
    {
        remote = ConfigRemote.Create("main");
        var stream = new StringBuilder();
        stream.Append($"blob\nmark :1\ndata {Encoding.UTF8.GetByteCount(Template)}\n{Template}\n");
        stream.Append("commit refs/heads/main\ncommitter Bot <bot@example.com> 1700000000 +0000\ndata 6\nFiles\n");
        for (var d = 0; d < Directories; d++)
            for (var f = 0; f < FilesPerDirectory; f++)
                stream.Append($"M 100644 :1 apps/app{d:D3}/templates/t{f:D3}.yaml\n");
        var file = Path.Combine(remote.Root, "import.txt");
        File.WriteAllText(file, stream.Append('\n').ToString());
        var import = ProcessRunner.Run("sh", ["-c", $"git --git-dir '{remote.Path}' fast-import --quiet < '{file}'"]);
        Assert.IsTrue(import.Succeeded, import.ToString());
    }

    [ClassCleanup]
    public static void DeleteRepository() => remote?.Dispose();

    private static T OnTip<T>(Deadline deadline, Func<ConfigTree, T> read)
    {
        using var repository = new Repository(remote.Path);
        var tip = repository.Branches["main"].Tip;
        return read(new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, "config"));
    }

    [TestMethod]
    public void Unbounded_the_walk_lists_every_file()
    {
        var count = OnTip(new Deadline(TimeSpan.FromHours(1), CancellationToken.None), tree => tree.ListFiles("apps").Count());

        Assert.AreEqual(Directories * FilesPerDirectory, count);
    }

    [TestMethod]
    public void A_spent_deadline_stops_the_walk_with_GITOPS030_before_any_file()
    {
        var visited = 0;

        var error = Assert.ThrowsExactly<GitOpsException>(() => OnTip(new Deadline(TimeSpan.Zero, CancellationToken.None),
            tree => tree.ListFiles("apps").Count(_ => ++visited > 0)));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code);
        Assert.AreEqual(0, visited);
    }

    [TestMethod]
    public void Ctrl_C_during_the_walk_stops_it_within_the_directory_it_is_in()
    {
        using var cancellation = new CancellationTokenSource();
        var visited = 0;

        Assert.ThrowsExactly<OperationCanceledException>(() => OnTip(new Deadline(TimeSpan.FromHours(1), cancellation.Token),
            tree => tree.ListFiles("apps").Count(_ =>
            {
                if (++visited == 300) cancellation.Cancel();
                return true;
            })));

        // The cancel came in the second directory: the walk stops at the third, or at the next check within the second.
        Assert.IsTrue(visited <= 2 * FilesPerDirectory, $"{visited} files visited after Ctrl+C at the 300th");
    }

    [TestMethod]
    public void A_spent_deadline_stops_a_read_of_a_named_file_too()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => OnTip(new Deadline(TimeSpan.Zero, CancellationToken.None),
            tree => tree.TryReadFile("apps/app000/templates/t000.yaml", out _)));

        Assert.AreEqual(Errors.ConfigTimedOut.Code, error.Code);
    }

    [TestMethod]
    public void Ctrl_C_after_the_clone_stops_a_glob_deploy_at_the_walk_not_after_reading_every_file()
    {
        using var cancellation = new CancellationTokenSource();
        var log = new RecordingLog { OnLine = line => { if (line.StartsWith("GitOps: cloned", StringComparison.Ordinal)) cancellation.Cancel(); } };
        var tip = remote.Tip("main");

        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory, PushRetries = 0 }).Deploy(
                new DeploymentRequest(new DeploymentFacts(ImageReference.Parse("registry.example.com/team/app:v2"), null, null, null, null),
                    ConfigRepositoryLocation.Parse(remote.Path), "main", [new ManifestTarget(Glob, new ManifestEditOptions())], null, "Bot", "bot@example.com", DryRun: false),
                cancellationToken: cancellation.Token));

        var read = log.Detail.Count(line => line == Messages.TemplateSkipped("apps/app000/templates/t000.yaml") || line.Contains("templates/t", StringComparison.Ordinal));
        Assert.AreEqual(0, read, "no file was read after Ctrl+C");
        Assert.AreEqual(tip, remote.Tip("main"));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "the clone is deleted");
    }
}
