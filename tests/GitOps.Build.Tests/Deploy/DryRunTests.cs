using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>ConfigDeployer in a dry run, against a real local bare config repository: a diff is shown, nothing pushed.</summary>
[TestClass]
public sealed class DryRunTests
{
    // Written from the manifest (TestManifest.Deployment): the image is its 10th line, shown with 3 lines of context.
    private const string ExpectedDiff =
        "--- a/apps/app/deployment.yaml\n" +
        "+++ b/apps/app/deployment.yaml\n" +
        "@@ -7,4 +7,4 @@\n" +
        "     spec:\n" +
        "       containers:\n" +
        "         - name: app\n" +
        "-          image: registry.example.com/team/app:old\n" +
        "+          image: registry.example.com/team/app:abc1234\n";

    private readonly RecordingLog log = new();

    [TestMethod]
    public void A_dry_run_logs_the_diff_its_outcome_reports_and_commits_nothing()
    {
        using var remote = OneApp.Create("registry.example.com/team/app:old");
        var tip = remote.Tip("main");

        var (result, outcome) = OneApp.Deploy(remote, log,
            new DeploymentFacts(ImageReference.Parse("registry.example.com/team/app:abc1234"), null, null, null, null), dryRun: true);

        Assert.IsFalse(result.Committed);
        Assert.AreEqual(tip, remote.Tip("main"), "nothing pushed");
        Assert.IsTrue(outcome.DryRun);
        CollectionAssert.AreEqual(new[] { OneApp.ManifestPath }, outcome.Files.ToArray());
        Assert.AreEqual(ExpectedDiff, outcome.Diff);
        CollectionAssert.Contains(log.Important, $"GitOps: dry run: would commit to {remote.Path} (main):\n" + ExpectedDiff.TrimEnd());
    }
}
