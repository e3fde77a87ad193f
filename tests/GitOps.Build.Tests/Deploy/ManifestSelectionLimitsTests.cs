using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// What a hostile or just large config repository cannot do to a deploy: make it read a huge blob, fail it through a
/// link that merely sits in a deployed directory, or print a page-long error. Real local bare repositories, except
/// the 5,000-file tree, held in memory (only the message's length is under test there).
/// </summary>
[TestClass]
public sealed class ManifestSelectionLimitsTests
{
    private const string Image = "registry.example.com/team/app:v2";

    private readonly RecordingLog log = new();

    public TestContext TestContext { get; set; } = null!;

    private Deployment Deploy(ConfigRemote remote, params string[] manifests) =>
        new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory, PushRetries = 0 }).Deploy(
            new DeploymentRequest(new DeploymentFacts(ImageReference.Parse(Image), null, null, null, null), ConfigRepositoryLocation.Parse(remote.Path),
                "main", manifests.Select(path => new ManifestTarget(path, new ManifestEditOptions())).ToList(), null, "Bot", "bot@example.com", DryRun: false));

    [TestMethod]
    public void A_manifest_over_the_size_limit_is_refused_with_GITOPS051_without_reading_it()
    {
        const int size = 20 * 1024 * 1024;
        var large = TestManifest.Deployment("registry.example.com/team/app:v1") + "# " + new string('x', size) + "\n";
        using var remote = ConfigRemote.Create("main", new Dictionary<string, string>
        {
            ["apps/app/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/app:v1"),
            ["apps/large/deployment.yaml"] = large,
        });
        var tip = remote.Tip("main");
        Deploy(remote, "apps/app/deployment.yaml"); // warms up the engine, so its one-time allocations do not count below
        large = null;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(remote, "apps/large/deployment.yaml"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var noOpBefore = GC.GetAllocatedBytesForCurrentThread();
        Deploy(remote, "apps/app/deployment.yaml");
        var noOp = GC.GetAllocatedBytesForCurrentThread() - noOpBefore;

        TestContext.WriteLine($"refusing a {size / 1024 / 1024} MB manifest allocated {allocated / 1024} KB; a no-op deploy {noOp / 1024} KB");
        Assert.AreEqual(Errors.ManifestTooLarge.Code, error.Code, error.Message);
        Assert.IsTrue(allocated < size / 8, $"{allocated} bytes allocated: the blob was read");
        Assert.AreNotEqual(tip, remote.Tip("main"), "the small manifest was deployed, not the large one");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "temporary clones deleted");
    }

    // A link named on its own still fails with GITOPS050: BadInputTests.
    [TestMethod]
    [DataRow("apps/app")]
    [DataRow("apps/**/*.yaml")]
    public void A_symbolic_link_in_a_deployed_directory_or_glob_is_skipped_saying_so(string path)
    {
        using var remote = ConfigRemote.Create("main");
        remote.Change("main", "App with a link", new Dictionary<string, string>
        {
            ["apps/app/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/app:v1"),
        }, new Dictionary<string, string>
        {
            ["apps/app/current.yaml"] = "deployment.yaml",
            ["apps/app/passwd.yaml"] = "/etc/passwd",
        });

        var deployment = Deploy(remote, path);

        Assert.IsTrue(deployment.Result.Committed);
        CollectionAssert.AreEqual(new[] { "apps/app/deployment.yaml" }, deployment.Outcome.Files.ToArray());
        CollectionAssert.Contains(log.Detail, Messages.SymbolicLinkSkipped("apps/app/current.yaml"));
        CollectionAssert.Contains(log.Detail, Messages.SymbolicLinkSkipped("apps/app/passwd.yaml"));
        Assert.AreEqual("deployment.yaml", Encoding.UTF8.GetString(remote.Show("main", "apps/app/current.yaml")), "the link is left as it was");
    }

    [TestMethod]
    public void A_directory_of_5000_files_without_the_image_fails_with_GITOPS040_in_a_bounded_message()
    {
        var tree = new DictionaryTree(Enumerable.Range(0, 5000).ToDictionary(
            i => $"apps/app{i:D4}/deployment.yaml", i => TestManifest.Deployment($"registry.example.com/team/app{i:D4}:v1")));
        var change = new ManifestImageChange([new ManifestTarget("apps", new ManifestEditOptions())], ImageReference.Parse(Image), "main", "config");

        var error = Assert.ThrowsExactly<GitOpsException>(() => change.Apply(tree));

        Assert.AreEqual(Errors.NoImageReference.Code, error.Code);
        StringAssert.Contains(error.Message, "registry.example.com/team/app0000:v1");
        StringAssert.Contains(error.Message, "… and 4980 more");
        Assert.IsTrue(error.Message.Length < 2000, $"{error.Message.Length} characters");
    }
}
