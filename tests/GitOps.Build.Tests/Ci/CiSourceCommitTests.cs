using GitOps.Build.AppRepo;
using GitOps.Build.Ci;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Ci;

/// <summary>The commit CI variables name, for sources exported without their Git repository.</summary>
[TestClass]
public sealed class CiSourceCommitTests
{
    private static CiSourceCommit? Read(params (string Name, string Value)[] variables) =>
        CiSourceCommit.Read(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [TestMethod]
    public void Outside_a_detected_CI_the_variables_are_tried_in_the_documented_order()
    {
        const string github = "1111111111111111111111111111111111111111";
        const string gitlab = "2222222222222222222222222222222222222222";

        var commit = Read(("CI_COMMIT_SHA", gitlab), ("GITHUB_SHA", github),
            ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "team/app"));

        Assert.AreEqual(new CiSourceCommit(github, "https://github.com/team/app", "GITHUB_SHA"), commit);
        Assert.AreEqual("1111111", SourceRevision.FromFullSha(commit!.Sha, commit.RepositoryUrl, commit.Variable).ShortSha);
    }

    [TestMethod]
    [DataRow("CI_COMMIT_SHA")]
    [DataRow("BUILD_SOURCEVERSION")]
    [DataRow("GIT_COMMIT")]
    public void Each_CI_variable_is_read_when_it_is_the_only_one(string variable)
    {
        const string sha = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";

        var commit = Read((variable, sha));

        Assert.AreEqual(sha.ToLowerInvariant(), commit!.Sha);
        Assert.AreEqual(variable, commit.Variable);
    }

    [TestMethod]
    public void A_CI_variable_that_is_not_a_sha_fails_with_GITOPS013()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Read(("GITHUB_SHA", "main")));

        Assert.AreEqual("GITOPS013", error.Code);
        StringAssert.Contains(error.Message, "GITHUB_SHA");
    }

    [TestMethod]
    public void Without_variables_there_is_no_commit() =>
        Assert.IsNull(Read());
}
