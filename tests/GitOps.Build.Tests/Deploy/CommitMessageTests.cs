using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class CommitMessageTests
{
    private const string Sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    private static readonly DeploymentFacts Facts = new(
        ImageReference.Parse("registry.example.com/team/myapp:a1b2c3d"),
        "sha256:" + new string('e', 64),
        Sha,
        "https://git.example.com/team/myapp.git",
        "MyApp.csproj");

    [TestMethod]
    public void The_default_subject_names_repository_and_tag()
    {
        var message = CommitMessage.Render(null, Facts);

        Assert.AreEqual("Deploy team/myapp:a1b2c3d", message.Split('\n')[0]);
    }

    [TestMethod]
    public void A_promotions_trailers_follow_the_GitOps_ones_and_git_reads_them_back()
    {
        var facts = Facts with { MoreTrailers = [new("GitOps-Promoted-From", "staging"), new("GitOps-Promoted-From-Commit", Sha)] };

        var message = CommitMessage.Render(null, facts);

        StringAssert.Contains(message, $"GitOps-Project: MyApp.csproj\nGitOps-Promoted-From: staging\nGitOps-Promoted-From-Commit: {Sha}\n");
        var trailers = GitTrailers.Parse(message);
        Assert.AreEqual("staging", trailers["GitOps-Promoted-From"]);
        Assert.AreEqual(Sha, trailers["GitOps-Promoted-From-Commit"]);
    }

    [TestMethod]
    public void Provenance_trailers_are_read_back_by_git_interpret_trailers()
    {
        var trailers = GitTrailers.Parse(CommitMessage.Render("Release {Tag}\n\nBody line with {{braces}}.", Facts));

        Assert.AreEqual(Sha, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual("https://git.example.com/team/myapp.git", trailers["GitOps-Source-Repository"]);
        Assert.AreEqual("registry.example.com/team/myapp:a1b2c3d", trailers["GitOps-Image"]);
        Assert.AreEqual(Facts.ImageDigest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual("MyApp.csproj", trailers["GitOps-Project"]);
    }

    [TestMethod]
    public void ReadTrailers_reads_back_what_git_reads()
    {
        var message = CommitMessage.Render("Release {Tag}\n\nA body: with a colon.", Facts);

        CollectionAssert.AreEquivalent(GitTrailers.Parse(message).ToArray(), CommitMessage.ReadTrailers(message).ToArray());
    }

    [TestMethod]
    public void Template_tokens_are_replaced_and_doubled_braces_stay_literal()
    {
        var message = CommitMessage.Render("{Repository} {Tag} {ShortSourceCommit} {Project} {{x}}", Facts);

        StringAssert.StartsWith(message, "team/myapp a1b2c3d a1b2c3d MyApp.csproj {x}\n\n");
    }

    [TestMethod]
    public void Unknown_facts_leave_their_trailers_out()
    {
        var trailers = GitTrailers.Parse(CommitMessage.Render(null, Facts with { ImageDigest = null, SourceRepository = null }));

        CollectionAssert.AreEquivalent(new[] { "GitOps-Source-Commit", "GitOps-Image", "GitOps-Project" }, trailers.Keys.ToArray());
    }

    [TestMethod]
    public void An_unknown_token_fails_with_GITOPS009_listing_the_known_ones()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => CommitMessage.Render("Deploy {App}", Facts));

        Assert.AreEqual("GITOPS009", error.Code);
        StringAssert.Contains(error.Message, "{App}");
        StringAssert.Contains(error.Message, "{Repository}");
    }
}
