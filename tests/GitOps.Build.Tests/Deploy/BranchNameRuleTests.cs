using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Deploy;

/// <summary>BranchNameRule agrees with the real `git check-ref-format --branch` on names good and bad.</summary>
[TestClass]
public sealed class BranchNameRuleTests
{
    private static readonly string[] Names =
    [
        "main", "release/1.2", "deploy/team/app-abc1234", "feature_x", "a.b", "ab.lock.x", "HEAD/x", "x/HEAD", "@", "a@b",
        "caf\u00e9", "v1", "a-", "x/y/z", "UPPER", "a+b", "a=b", "a,b", "a%b", "a#b",
        "HEAD", "-x", "-", "../x", "main~1", "a..b", ".a", "a/.b", "a.lock", "a/b.lock/c", "x//y", "x/", "/x", "x.", "a b",
        "a\\b", "@{x", "a@{1}", "a:b", "a?b", "a*b", "a[b", "a^b", "a\tb", "a\u007fb", "a\u0001b",
    ];

    [TestMethod]
    public void The_rule_accepts_exactly_the_branch_names_git_accepts()
    {
        var work = Directory.CreateTempSubdirectory("gitops-refname-").FullName;
        try
        {
            var disagreements = new List<string>();
            foreach (var name in Names)
            {
                var git = ProcessRunner.Run("git", ["check-ref-format", "--branch", name], work).Succeeded;
                var ours = BranchNameRule.Problem(name) is null;
                if (git != ours) disagreements.Add($"'{TextRule.Printable(name)}': git {(git ? "accepts" : "refuses")}, rule {(ours ? "accepts" : "refuses")}");
            }

            Assert.AreEqual("", string.Join("; ", disagreements));
            Assert.IsTrue(Names.Count(name => BranchNameRule.Problem(name) is null) >= 15, "both kinds are tried");
            Assert.IsTrue(Names.Count(name => BranchNameRule.Problem(name) is not null) >= 20, "both kinds are tried");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("../x")]
    [DataRow("main~1")]
    [DataRow("HEAD")]
    public void A_malformed_GitOpsConfigBranch_is_GITOPS039_and_names_the_property(string branch)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => BranchNameRule.ValidateConfigBranch(branch));

        Assert.AreEqual("GITOPS039", error.Code);
        StringAssert.Contains(error.Message, "GitOpsConfigBranch");
    }

    [TestMethod]
    public void An_empty_GitOpsConfigBranch_means_the_default_branch() =>
        Assert.IsNull(BranchNameRule.ValidateConfigBranch(null));
}
