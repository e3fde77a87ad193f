using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>A failure after the push is coded and names the commit that landed, never an unhandled exception.</summary>
[TestClass]
public sealed class AfterPushFailureTests
{
    [TestMethod]
    public void A_failure_while_reporting_a_pushed_commit_is_GITOPS038_naming_that_commit()
    {
        using var remote = OneApp.Create("registry.example.com/team/app:v1");
        var before = remote.Tip("main");
        // A fake fault: nothing real fails after the push on demand, so the log line announcing the deploy throws.
        var log = new RecordingLog
        {
            OnLine = line =>
            {
                if (line.StartsWith("GitOps: deployed", StringComparison.Ordinal)) throw new InvalidOperationException("logger broke");
            },
        };

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            OneApp.Deploy(remote, log, new DeploymentFacts(ImageReference.Parse("registry.example.com/team/app:v2"), null, null, null, null)));

        var pushed = remote.Tip("main");
        Assert.AreNotEqual(before, pushed, "the commit landed");
        Assert.AreEqual("GITOPS038", error.Code);
        StringAssert.Contains(error.Message, pushed);
        StringAssert.Contains(error.Message, "'main'");
        StringAssert.Contains(error.Message, "logger broke");
    }
}
