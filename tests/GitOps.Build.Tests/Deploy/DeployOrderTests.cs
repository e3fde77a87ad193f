using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>ConfigDeployer with the order check, against real local bare config repositories: no deploy goes backwards.</summary>
[TestClass]
public sealed class DeployOrderTests
{
    private const string Repository = "registry.example.com/team/app";

    private readonly RecordingLog log = new();

    public TestContext TestContext { get; set; } = null!;

    private ConfigCommitResult Deploy(ConfigRemote remote, AppHistory app, int index, bool allowDowngrade = false) =>
        OneApp.Deploy(remote, log, new DeploymentFacts(ImageReference.Parse($"{Repository}:{app.Tag(index)}"), null, app.Commits[index], null, null),
            orderCheck: new DeployOrderCheck(app.Root, allowDowngrade)).Result;

    private static ConfigRemote Remote() => OneApp.Create($"{Repository}:initial");

    [TestMethod]
    public void An_earlier_build_after_a_later_one_is_skipped_with_GITOPS060_and_commits_nothing()
    {
        using var app = AppHistory.Create(3);
        using var remote = Remote();
        Assert.IsTrue(Deploy(remote, app, 2).Committed);
        var tip = remote.Tip("main");

        var result = Deploy(remote, app, 1);

        Assert.IsFalse(result.Committed);
        Assert.AreEqual(tip, remote.Tip("main"));
        var warning = log.Important.Single(line => line.Contains("does not go backwards", StringComparison.Ordinal));
        StringAssert.Contains(warning, app.Commits[2]);
        StringAssert.Contains(warning, "GitOpsAllowDowngrade=true");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "clones deleted");
    }

    [TestMethod]
    public void GitOpsAllowDowngrade_deploys_the_earlier_build()
    {
        using var app = AppHistory.Create(3);
        using var remote = Remote();
        Deploy(remote, app, 2);

        var result = Deploy(remote, app, 1, allowDowngrade: true);

        Assert.IsTrue(result.Committed);
        StringAssert.Contains(Encoding.UTF8.GetString(remote.Show("main", OneApp.ManifestPath)), $"{Repository}:{app.Tag(1)}");
    }

    [TestMethod]
    public void After_a_pinned_rollback_a_later_automatic_deploy_of_an_older_commit_is_still_refused_with_GITOPS060()
    {
        using var app = AppHistory.Create(4);
        using var remote = Remote();
        Deploy(remote, app, 3);
        Assert.IsTrue(Deploy(remote, app, 1, allowDowngrade: true).Committed, "the pin: a rollback by redeploy");
        var pinned = remote.Tip("main");

        var late = Deploy(remote, app, 0);

        Assert.IsFalse(late.Committed);
        Assert.AreEqual(pinned, remote.Tip("main"));
        StringAssert.Contains(Encoding.UTF8.GetString(remote.Show("main", OneApp.ManifestPath)), $"{Repository}:{app.Tag(1)}");
        var warning = log.Important.Last(line => line.Contains("does not go backwards", StringComparison.Ordinal));
        StringAssert.Contains(warning, app.Commits[1], "the pinned commit is what the older build is compared with");
    }

    [TestMethod]
    public void A_build_later_than_the_pinned_rollback_replaces_it_as_the_recipe_warns()
    {
        using var app = AppHistory.Create(4);
        using var remote = Remote();
        Deploy(remote, app, 3);
        Deploy(remote, app, 1, allowDowngrade: true);

        Assert.IsTrue(Deploy(remote, app, 2).Committed);
        StringAssert.Contains(Encoding.UTF8.GetString(remote.Show("main", OneApp.ManifestPath)), $"{Repository}:{app.Tag(2)}");
    }

    [TestMethod]
    public void An_app_repository_that_cannot_be_read_during_the_deploy_fails_with_GITOPS019_and_pushes_nothing()
    {
        using var app = AppHistory.Create(2);
        using var remote = Remote();
        var tip = remote.Tip("main");
        // Broken after the image was tagged from it: the deploy-order check, inside the config write-back, reads it next.
        File.WriteAllText(Path.Combine(app.Root, ".git", "config"), "[core\n");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(remote, app, 1));

        Assert.AreEqual("GITOPS019", error.Code, error.Message);
        StringAssert.Contains(error.Message, app.Root);
        Assert.AreEqual(tip, remote.Tip("main"));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "clones deleted");
    }

    [TestMethod]
    public void Builds_deployed_in_shuffled_order_end_on_the_last_commit_and_only_ever_move_forward()
    {
        using var app = AppHistory.Create(8);
        using var remote = Remote();
        var order = Enumerable.Range(0, 8).ToArray();
        new Random(4).Shuffle(order);

        var committed = order.Select(index => Deploy(remote, app, index).Committed).ToList();

        // Sequentially, a build lands exactly when it is later than every build before it.
        var expected = order.Select((index, position) => order.Take(position).All(earlier => earlier < index)).ToList();
        Assert.IsTrue(expected.Contains(false), "the order must make some build arrive after a later one");
        CollectionAssert.AreEqual(expected, committed, $"order {string.Join(",", order.Select(i => i + 1))}");
        StringAssert.Contains(Encoding.UTF8.GetString(remote.Show("main", OneApp.ManifestPath)), $"{Repository}:{app.Tag(7)}");
        Assert.AreEqual(expected.Count(landed => landed) + 1, int.Parse(remote.Git("rev-list", "--count", "main"), System.Globalization.CultureInfo.InvariantCulture));
        TestContext.WriteLine($"order {string.Join(",", order.Select(i => i + 1))}: {expected.Count(landed => landed)} deploys landed, {8 - expected.Count(landed => landed)} skipped");
    }
}
