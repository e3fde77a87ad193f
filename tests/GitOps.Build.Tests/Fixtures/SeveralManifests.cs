using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// Write-backs that name several manifests (one image in three directories, a release of two projects), for the
/// treeless tests that count their round trips over HTTP and over SSH: a batch of paths costs what one path costs.
/// </summary>
internal static partial class SeveralManifests
{
    /// <summary>The web image's manifests in three directories below <paramref name="root"/>, the first being the fixture's own at "apps".</summary>
    public static string[] WebManifests(string root) => [.. new[] { "web", "web-eu", "web-us" }.Select(app => $"{root}/{app}/deployment.yaml")];

    /// <summary>The api project's manifest, beside the web one: a release of two projects edits both.</summary>
    public const string ApiManifest = "apps/api/deployment.yaml";

    /// <summary>Pushes the web manifests below <paramref name="root"/>, the api manifest and an app no write-back reads into <paramref name="repository"/>.</summary>
    public static void Seed(ServedRepository repository, string root)
    {
        var files = WebManifests(root).ToDictionary(path => path, path => Content(path, "registry.example.com/web:aaa1111") + "\n");
        files[ApiManifest] = Content(ApiManifest, "registry.example.com/api:aaa1111") + "\n";
        files["apps/other/deployment.yaml"] = Content("apps/other/deployment.yaml", "registry.example.com/other:aaa1111") + "\n";
        Push(repository, files);
    }

    /// <summary>
    /// The manifest at <paramref name="path"/> running <paramref name="image"/>, as <c>git show</c> prints it: its path in
    /// a comment, so that no two directories hold the same tree (git would store, and a fetch would bring, one for both).
    /// </summary>
    public static string Content(string path, string image) => $"# {path}\nimage: {image}";

    /// <summary>The deploy of <paramref name="image"/> to <paramref name="manifests"/> (GitOpsManifestPath "a;b;c"), as a publish makes it: a release of one.</summary>
    public static ReleaseChange Deploy(string image, params string[] manifests) => Release((image, manifests));

    /// <summary>A release: each project's image to its manifests, one commit.</summary>
    public static ReleaseChange Release(params (string Image, string[] Manifests)[] projects) =>
        new([.. projects.Select(project => new ManifestImageChange(
            [.. project.Manifests.Select(path => new ManifestTarget(path, new ManifestEditOptions()))], ImageReference.Parse(project.Image), "main", "config"))]);

    /// <summary>
    /// <paramref name="change"/>, with another pipeline's commit pushed while the writer applies it the first time: a
    /// file added in each of <paramref name="directories"/>, which changes their trees (the push then loses the race).
    /// </summary>
    public static IConfigChange Raced(IConfigChange change, ServedRepository repository, params string[] directories) =>
        new RacedChange(change, () => Push(repository, directories.ToDictionary(directory => directory + "/extra.yaml", directory => $"# beside {directory}\n")));

    private static void Push(ServedRepository repository, Dictionary<string, string> files)
    {
        var work = TempDirectory.NewPath(null, "gitops-several-competitor-");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", repository.Path, work);
            foreach (var (path, content) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
                File.WriteAllText(Path.Combine(work, path), content);
            }
            GitCli.Run(work, "add", "--all");
            GitCli.Run(work, "commit", "--quiet", "-m", "another pipeline");
            GitCli.Run(work, "push", "--quiet", "origin", "main");
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
    }

    private sealed class RacedChange(IConfigChange change, Action competitor) : IConfigChange
    {
        private bool raced;

        public IReadOnlyList<TreeRead> Reads => change.Reads;

        public AppliedChange Apply(IConfigTree tree)
        {
            if (!raced)
            {
                raced = true;
                competitor();
            }
            return change.Apply(tree);
        }
    }

    /// <summary>The round trips of the treeless write-back <paramref name="log"/> recorded (its one transfer line).</summary>
    public static int RoundTrips(RecordingLog log) =>
        log.Important.Select(line => RoundTripsLine().Match(line)).Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Single();

    [GeneratedRegex("treeless write-back: ([0-9]+) round trips")]
    private static partial Regex RoundTripsLine();
}
