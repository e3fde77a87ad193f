using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.ConfigRepo.Hostile.HostileTreelessServer;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// The fifth hostile probe (issue 20): trees that name the same subtree twice at every level. Git objects cannot make a
/// cycle, but 64 trees of two entries each make 2^64 paths: a walk that visits each path must stay within
/// GitOpsConfigTimeout (and keep its memory), not run for ever.
/// </summary>
[TestClass]
public sealed class TreelessTreeFanOutTests
{
    private const string OldImage = "registry.example.com/team/app:v1";
    private const string NewImage = "registry.example.com/team/app:v2";

    private readonly HostileServerWriter writer = new("gitops-fanout-");

    [TestCleanup]
    public void DeleteWorkDirectory() => writer.Dispose();

    [TestMethod]
    [DataRow("apps")]
    [DataRow("apps/**/*.yaml")]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Trees_that_name_one_subtree_twice_64_levels_deep_end_within_the_timeout(string manifest)
    {
        var file = Blob(TestManifest.Deployment(OldImage));
        var objects = new List<WireObject> { file };
        var inner = Tree(new TreeEntry("100644", "x.yaml", file.Id));
        objects.Add(inner);
        for (var depth = 0; depth < 64; depth++)
        {
            inner = Tree(new TreeEntry("40000", "a", inner.Id), new TreeEntry("40000", "b", inner.Id));
            objects.Add(inner);
        }
        var root = Tree(new TreeEntry("40000", "apps", inner.Id));
        var (commit, refs) = Tip(root);
        objects.Reverse();
        using var server = new HostileTreelessServer([commit, root, .. objects], refs);

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(server, manifest));

        Assert.AreEqual(0, server.Pushes.Count, "nothing was pushed");
        // Before: no end (the walk entered 2^64 paths without a look at the deadline, nor Ctrl+C).
        Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "more than 100,000 trees under one path read");
    }

    private string Deploy(HostileTreelessServer server, string manifest) =>
        $"{writer.Deploy(server.Url, manifest, NewImage, TimeSpan.FromSeconds(10)).CommitSha} pushes={server.Pushes.Count}";
}
