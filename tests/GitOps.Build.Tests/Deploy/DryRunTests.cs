using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>ConfigDeployer in a dry run, against a real local bare config repository: a diff is shown, nothing pushed.</summary>
[TestClass]
public sealed class DryRunTests
{
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
        Assert.AreEqual(UnifiedDiff.Format(result.Changes), outcome.Diff);
        StringAssert.Contains(outcome.Diff, "+          image: registry.example.com/team/app:abc1234");
        CollectionAssert.Contains(log.Important, Messages.DryRunDiff(UrlRedactor.Redact(remote.Path), "main", outcome.Diff));
    }
}
