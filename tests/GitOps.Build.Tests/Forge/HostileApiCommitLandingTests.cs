using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.Forge.HostileForge;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// Issue 20, GitOpsCommitMethod=api: a GitHub ref update answered 200 whose answer does not put the branch at the commit
/// (another commit, or none though the description's git-ref requires object.sha), from a loopback server on the
/// routes the contract tests hold to GitHub's description. Each is GITOPS147, never "deployed".
/// </summary>
[TestClass]
public sealed class HostileApiCommitLandingTests
{
    private const string Commit = "c0ffee0000000000000000000000000000000000";

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("image: registry.example.com/team/web:a1b2c3d\n");

    [TestMethod]
    [DataRow("""{"ref":"refs/heads/main","node_id":"REF_1","url":"https://api.example/r"}""", "names no commit")]
    [DataRow("""{"ref":"refs/heads/main","node_id":"REF_1","url":"https://api.example/r","object":{"type":"commit","sha":"0123456789012345678901234567890123456789","url":"https://api.example/c"}}""",
        "puts the branch at 0123456")]
    public void A_GitHub_ref_answer_that_does_not_name_our_commit_is_GITOPS147(string refAnswer, string reason)
    {
        using var server = Routes(target =>
            target.Contains("/git/blobs", StringComparison.Ordinal) ? $$"""{"sha":"{{GitHubCommits.BlobId(Content)}}"}"""
            : target.Contains("/git/trees", StringComparison.Ordinal) ? """{"sha":"8888888888888888888888888888888888888888"}"""
            : target.Contains("/git/commits", StringComparison.Ordinal) ? $$"""{"sha":"{{Commit}}"}"""
            : refAnswer);
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/", TimeSpan.FromMinutes(1), new RecordingLog()));
        var spec = new ForgeCommitSpec("main", Tip, false, [new ForgeFileWrite("apps/web/deployment.yaml", "100644", Content)], "Deploy", null);
        var created = new List<string>();

        var error = Assert.ThrowsExactly<GitOpsException>(() => forge.WriteAsync(spec, created.Add, CancellationToken.None).GetAwaiter().GetResult());

        Assert.AreEqual(Errors.ApiCommitNotApplied.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, reason);
        CollectionAssert.AreEqual(new[] { Commit }, created, "the commit was made: the writer knows it may land");
    }
}
