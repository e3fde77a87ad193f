using System.Diagnostics;
using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.Tests.Deploy;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// Many `dotnet msbuild -t:GitOpsUpdateConfig` processes at once against the HTTP git server: every change lands exactly
/// once on a linear history, and builds of one app finishing in any order never move the config backwards.
/// Wall times and retries are printed, never asserted.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
public sealed class ConcurrentDeployTests
{
    private const int Writers = 16;
    private const string Registry = "127.0.0.1:5000/team";
    private const string SharedManifest = "apps/shared.yaml";

    public TestContext TestContext { get; set; } = null!;

    private static string Project => AppWorkspace.ConsoleProject();

    private static string AppName(int i) => $"app-{i:00}";

    private static string Image(int i, string tag) => $"{Registry}/{AppName(i)}:{tag}";

    [TestMethod]
    public void Sixteen_apps_in_one_shared_file_all_land_once_on_a_linear_history()
    {
        string Shared(Func<int, string> tag) =>
            string.Join("---\n", Enumerable.Range(0, Writers).Select(i => TestManifest.Deployment(Image(i, tag(i)), AppName(i))));

        RunSixteen(
            seed: new Dictionary<string, string> { [SharedManifest] = Shared(_ => "initial") },
            manifestOf: _ => SharedManifest,
            expected: new Dictionary<string, string> { [SharedManifest] = Shared(i => "v2") });
    }

    [TestMethod]
    public void Sixteen_apps_in_sixteen_files_all_land_once_on_a_linear_history()
    {
        static string File(int i) => $"apps/{AppName(i)}/deployment.yaml";

        RunSixteen(
            seed: Enumerable.Range(0, Writers).ToDictionary(File, i => TestManifest.Deployment(Image(i, "initial"), AppName(i))),
            manifestOf: File,
            expected: Enumerable.Range(0, Writers).ToDictionary(File, i => TestManifest.Deployment(Image(i, "v2"), AppName(i))));
    }

    /// <summary>
    /// Builds of commits 1..8 of one app, started together in shuffled order. Concurrency is the point: the guard must
    /// hold when its check and the push race other pipelines, so the proof is the history, not a predicted skip count
    /// (DeployOrderTests predicts that for sequential runs).
    /// </summary>
    [TestMethod]
    public void Builds_of_commits_1_to_8_in_shuffled_order_end_on_commit_8_and_never_go_backwards()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(Project);
        var commits = new List<string> { app.Head };
        for (var i = 2; i <= 8; i++) commits.Add(app.Commit($"change {i}"));
        var manifest = "apps/app/deployment.yaml";
        using var config = ServerRepository.Create(environment, new Dictionary<string, string> { [manifest] = TestManifest.Deployment(Image(0, "initial"), AppName(0)) });
        var seed = Environment.TickCount;
        var order = Enumerable.Range(0, 8).ToArray();
        new Random(seed).Shuffle(order);
        TestContext.WriteLine($"start order (commit numbers): {string.Join(",", order.Select(i => i + 1))} (seed {seed})");
        Warm(app);

        var runs = RunAll(app, order.Select(i => new[]
        {
            $"-p:GitOpsImage={Image(0, commits[i][..7])}", $"-p:GitOpsSourceCommit={commits[i]}",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsManifestPath={manifest}",
        }).ToList(), environment, order.Select(i => $"commit {i + 1}").ToList());

        Assert.AreEqual(TestManifest.Deployment(Image(0, commits[7][..7]), AppName(0)), config.Show(manifest));
        Assert.AreEqual("", config.Git("rev-list", "--merges", "main"));
        var deployed = config.Trailers("GitOps-Source-Commit").Select(sha => commits.IndexOf(sha)).ToList();
        TestContext.WriteLine($"deployed in history order: {string.Join(",", deployed.Select(i => i + 1))}");
        CollectionAssert.AreEqual(deployed.Order().Distinct().ToList(), deployed, "each deploy is later than the one before it");
        var skipped = runs.Count(run => run.Output.Contains("warning GITOPS060", StringComparison.Ordinal));
        Assert.AreEqual(8, deployed.Count + skipped, "every build either deployed or was skipped as out of date");
    }

    private void RunSixteen(IReadOnlyDictionary<string, string> seed, Func<int, string> manifestOf, IReadOnlyDictionary<string, string> expected)
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(Project);
        using var config = ServerRepository.Create(environment, seed);
        var before = config.Tip;
        Warm(app);

        RunAll(app, Enumerable.Range(0, Writers).Select(i => new[]
        {
            $"-p:GitOpsImage={Image(i, "v2")}", $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsManifestPath={manifestOf(i)}",
        }).ToList(), environment, Enumerable.Range(0, Writers).Select(AppName).ToList());

        Assert.AreEqual($"{Writers}", config.Git("rev-list", "--count", $"{before}..main"), "one commit per writer");
        Assert.AreEqual("", config.Git("rev-list", "--merges", "main"), "linear history");
        CollectionAssert.AreEquivalent(Enumerable.Range(0, Writers).Select(i => Image(i, "v2")).ToList(), config.Trailers("GitOps-Image").ToList(),
            "each change exactly once");
        foreach (var (path, content) in expected)
            Assert.AreEqual(content, config.Show(path), path);
    }

    /// <summary>Resolves the SDK package once, so the timed runs measure the config step and not a NuGet extraction race.</summary>
    private static void Warm(AppWorkspace app)
    {
        var warm = app.Dotnet(null, "msbuild", "-t:_GitOpsCollectManifests", "-nologo");
        Assert.IsTrue(warm.Succeeded, warm.ToString());
    }

    private List<(string Name, string Output)> RunAll(AppWorkspace app, IReadOnlyList<string[]> arguments, TestEnvironment environment, IReadOnlyList<string> names)
    {
        var clock = Stopwatch.StartNew();
        var runs = arguments.Select(async extra =>
        {
            var started = clock.Elapsed;
            var result = await app.DotnetAsync(new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken },
                ["msbuild", "-t:GitOpsUpdateConfig", "-v:n", "-nologo", .. extra]).ConfigureAwait(false);
            return (Result: result, Wall: clock.Elapsed - started);
        }).ToList();
        Task.WaitAll(runs);
        TestContext.WriteLine($"{runs.Count} processes, {clock.Elapsed.TotalSeconds:0.0} s in all");

        var outputs = new List<(string, string)>();
        for (var i = 0; i < runs.Count; i++)
        {
            var (result, wall) = runs[i].Result;
            Assert.IsTrue(result.Succeeded, $"{names[i]}: {result}");
            var lines = result.StandardOutput.Split('\n');
            var retries = lines.Count(line => line.Contains("moved since the clone", StringComparison.Ordinal) || line.Contains("retrying", StringComparison.Ordinal));
            var outcome = result.StandardOutput.Contains("warning GITOPS060", StringComparison.Ordinal) ? "skipped (GITOPS060)"
                : result.StandardOutput.Contains("GitOps: deployed", StringComparison.Ordinal) ? "deployed" : "no commit";
            TestContext.WriteLine($"{names[i]}: {outcome}, {retries} retries, {wall.TotalSeconds:0.0} s");
            outputs.Add((names[i], result.StandardOutput));
        }
        return outputs;
    }

    /// <summary>A bare repository on the HTTP server seeded with the given files, read back with the git CLI.</summary>
    private sealed class ServerRepository : IDisposable
    {
        private ServerRepository(string url, string path)
        {
            Url = url;
            Path = path;
        }

        public string Url { get; }

        public string Path { get; }

        public string Tip => Git("rev-parse", "main");

        public static ServerRepository Create(TestEnvironment environment, IReadOnlyDictionary<string, string> files)
        {
            var name = "concurrency/" + System.IO.Path.GetFileName(TempDirectory.NewPath(null, "config-"));
            var seed = TempDirectory.NewPath(null, "gitops-seed-");
            foreach (var (path, content) in files)
            {
                var full = System.IO.Path.Combine(seed, path);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            var url = environment.CreateBareRepository(name, seed);
            TempDirectory.TryDelete(seed);
            return new ServerRepository(url, System.IO.Path.Combine(environment.GitProjectRoot, name + ".git"));
        }

        public string Git(params string[] arguments) => GitCli.Run(Path, arguments);

        public string Show(string path) => Encoding.UTF8.GetString(GitCli.RunBytes(Path, "show", $"main:{path}"));

        /// <summary>One trailer's value per commit that has it, oldest first.</summary>
        public IReadOnlyList<string> Trailers(string key) =>
            Git("log", "--reverse", $"--format=%(trailers:key={key},valueonly,separator=)", "main")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public void Dispose() => TempDirectory.TryDelete(Path);
    }
}
