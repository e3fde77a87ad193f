using GitOps.Build.Ci;
using GitOps.Build.Deploy;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class PullRequestBodyTests
{
    private static DeploymentOutcome Outcome(string image, string diff, string? sourceRepository = "https://github.com/team/web.git", string? buildUrl = "https://ci.example/run/7") =>
        new(image, "sha256:" + new string('1', 64), "0123456789abcdef0123456789abcdef01234567", sourceRepository, buildUrl,
            "https://github.example/team/config.git", "gitops/x", null, false, ["apps/web.yaml"], diff, null);

    [TestMethod]
    public void Lists_each_image_with_digest_source_and_compare_links_the_build_and_the_diff()
    {
        var body = PullRequestBody.Render(Outcome("registry.example.com/team/web:0123456", "-image: a\n+image: b\n"), ["89abcde"], "main");

        StringAssert.Contains(body, "`registry.example.com/team/web:0123456`");
        StringAssert.Contains(body, "`sha256:" + new string('1', 64) + "`");
        StringAssert.Contains(body, "[0123456](https://github.com/team/web/commit/0123456789abcdef0123456789abcdef01234567)");
        StringAssert.Contains(body, "([compare](https://github.com/team/web/compare/89abcde...0123456789abcdef0123456789abcdef01234567))");
        StringAssert.Contains(body, "Build: <https://ci.example/run/7>");
        StringAssert.Contains(body, "```diff\n-image: a\n+image: b\n```");
    }

    [TestMethod]
    public void Untrusted_text_renders_as_text_links_only_from_http_URLs_and_the_diff_cannot_close_its_fence()
    {
        var body = PullRequestBody.Render(Outcome("r/x:t", "+a: ```\n+b: -->\n", sourceRepository: "javascript:alert(1)", buildUrl: "https://user:pw@ci.example/)[x](evil)"),
            [], "main`](evil)");

        Assert.IsFalse(body.Contains("javascript:", StringComparison.Ordinal));
        Assert.IsFalse(body.Contains("user:pw", StringComparison.Ordinal));
        StringAssert.Contains(body, "````diff\n+a: ```");
        StringAssert.Contains(body, "\n````\n");
        Assert.AreEqual(1, body.Split("-->").Length - 2, "only the hidden block's own end closes an HTML comment, besides the diff's fenced text");
    }

    [TestMethod]
    public void The_hidden_block_recognises_images_by_name_and_the_manifests()
    {
        var body = PullRequestBody.Render(Outcome("registry.example.com/team/web:0123456@sha256:" + new string('2', 64), ""), [], "main");

        var recognised = PullRequestBody.Recognise(body);

        Assert.IsNotNull(recognised);
        CollectionAssert.AreEquivalent(new[] { "registry.example.com/team/web" }, recognised.Value.Images.ToList());
        CollectionAssert.AreEquivalent(new[] { "apps/web.yaml" }, recognised.Value.Manifests.ToList());
        Assert.IsNull(PullRequestBody.Recognise("a pull request a person wrote"));
    }

    [TestMethod]
    [DataRow("registry.example.com/team/web:0123abc", "0123abc")]
    [DataRow("0123abcdef", "0123abcdef")]
    [DataRow("registry:5000/team/web:1.4.0", null)]
    [DataRow("registry:5000/team/web", null)]
    public void The_replaced_commit_comes_from_an_old_tag_that_is_one(string oldValue, string? commit)
    {
        Assert.AreEqual(commit, PullRequestBody.CommitTag(oldValue));
    }
}
