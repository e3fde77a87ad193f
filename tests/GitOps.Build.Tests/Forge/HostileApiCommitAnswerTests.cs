using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Forge.GitLab;
using GitOps.Build.Forge.Gitea;
using GitOps.Build.Tests.ConfigRepo.Http;
using GitOps.Build.Tests.Fixtures;
using static GitOps.Build.Tests.Forge.HostileForge;

namespace GitOps.Build.Tests.Forge;

/// <summary>
/// The fourth hostile probe (issue 20), GitOpsCommitMethod=api: a forge's listing that names files outside the directory
/// listed or paths git refuses, and file contents that are not base64, from loopback servers (no forge runs here; the
/// routes are the ones the contract tests hold to each forge's API description). Each is GITOPS107, never an edit of
/// another file or a stack trace (ArgumentException, FormatException: MSB4018).
/// </summary>
[TestClass]
public sealed class HostileApiCommitAnswerTests
{
    private readonly RecordingLog log = new();

    private ForgeHttp Http(ForgeKind kind, LoopbackServer server, string apiPath) => HostileForge.Http(kind, server, apiPath, TimeSpan.FromMinutes(10), log);

    private static ForgeTree Tree(IForgeCommits forge) => new(forge, Tip, new Deadline(TimeSpan.FromMinutes(10), CancellationToken.None), "https://forge.example/team/config.git");

    [TestMethod]
    [DataRow("../db/deployment.yaml")]
    [DataRow(".git/deployment.yaml")]
    [DataRow("x//y.yaml")]
    public void A_GitHub_tree_listing_of_a_path_git_refuses_is_GITOPS107(string path)
    {
        // Before: ArgumentException (MSB4018) from the writer's check, after the change was applied to 'apps/<path>'.
        using var server = Routes(target => target.Contains("recursive=1", StringComparison.Ordinal)
            ? $$"""{"sha":"8888888888888888888888888888888888888888","truncated":false,"tree":[{"path":"{{path}}","mode":"100644","type":"blob","sha":"{{Sha}}","size":10}]}"""
            : """{"sha":"7777777777777777777777777777777777777777","truncated":false,"tree":[{"path":"apps","mode":"040000","type":"tree","sha":"8888888888888888888888888888888888888888"}]}""");
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "not a file path inside that directory");
    }

    [TestMethod]
    [DataRow("apps/db/deployment.yaml")]
    [DataRow("deployment.yaml")]
    [DataRow("apps/web/../../db/deployment.yaml")]
    public void A_GitLab_listing_that_names_a_file_outside_the_directory_is_GITOPS107_not_that_file_s_edit(string path)
    {
        // Before: 'apps/db/deployment.yaml' was taken as a file of 'apps/web' and edited (another app's manifest).
        using var server = Routes(_ => $$"""[{"id":"{{Sha}}","name":"deployment.yaml","type":"blob","path":"{{path}}","mode":"100644"}]""");
        using var forge = new GitLabCommits(Http(ForgeKind.GitLab, server, "/api/v4/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps/web").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, $"'{path}'");
    }

    [TestMethod]
    public void Held_a_GitLab_listing_inside_the_directory_is_read()
    {
        using var server = Routes(_ => $$"""[{"id":"{{Sha}}","name":"deployment.yaml","type":"blob","path":"apps/web/deployment.yaml","mode":"100644"}]""");
        using var forge = new GitLabCommits(Http(ForgeKind.GitLab, server, "/api/v4/"));

        CollectionAssert.AreEqual(new[] { "apps/web/deployment.yaml" }, Tree(forge).ListFiles("apps/web").Select(file => file.Path).ToArray());
    }

    [TestMethod]
    [DataRow("apps")]
    [DataRow("")]
    [DataRow("apps/web/..")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_Bitbucket_directory_listed_inside_itself_or_its_parent_is_GITOPS107_not_a_loop_that_fills_memory(string listed)
    {
        // Before: listings are kept, so a directory that named itself (or a parent) was walked again without a call to
        // the server, its files added each time: memory grew until it ran out, past GitOpsConfigTimeout and Ctrl+C.
        using var server = Routes(_ => $$"""{"values":[{"type":"commit_directory","path":"{{listed}}"},{"type":"commit_file","path":"apps/x.yaml","size":10}]}""");
        using var forge = new GitOps.Build.Forge.Bitbucket.BitbucketCommits(Http(ForgeKind.Bitbucket, server, "/2.0/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "which is not below it or was listed before");
    }

    [TestMethod]
    public void Held_a_Bitbucket_listing_of_subdirectories_is_walked()
    {
        using var server = Routes(target => target.EndsWith("/apps/", StringComparison.Ordinal)
            ? """{"values":[{"type":"commit_directory","path":"apps/web"},{"type":"commit_file","path":"apps/x.yaml","size":10}]}"""
            : """{"values":[{"type":"commit_file","path":"apps/web/y.yaml","size":10}]}""");
        using var forge = new GitOps.Build.Forge.Bitbucket.BitbucketCommits(Http(ForgeKind.Bitbucket, server, "/2.0/"));

        CollectionAssert.AreEquivalent(new[] { "apps/x.yaml", "apps/web/y.yaml" }, Tree(forge).ListFiles("apps").Select(file => file.Path).ToArray());
    }

    [TestMethod]
    public void A_GitLab_tree_listing_whose_pages_never_end_is_GITOPS107()
    {
        // Before: the API commit's tree listing paged without a bound (the lists of pull requests and statuses have one):
        // every page of 100 entries kept, until the deadline.
        var page = "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $$"""{"id":"{{Sha}}","name":"f{{i}}.yaml","type":"blob","path":"apps/f{{i}}.yaml","mode":"100644"}""")) + "]";
        using var server = Routes(_ => page);
        using var forge = new GitLabCommits(Http(ForgeKind.GitLab, server, "/api/v4/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "more than 1000 pages");
    }

    [TestMethod]
    public void A_Gitea_tree_listing_truncated_on_every_page_is_GITOPS107()
    {
        using var server = Routes(target => target.Contains("recursive=true", StringComparison.Ordinal)
            ? $$"""{"sha":"8888888888888888888888888888888888888888","truncated":true,"tree":[{"path":"x.yaml","mode":"100644","type":"blob","sha":"{{Sha}}","size":3}]}"""
            : """{"sha":"7777777777777777777777777777777777777777","truncated":false,"tree":[{"path":"apps","mode":"040000","type":"tree","sha":"8888888888888888888888888888888888888888"}]}""");
        using var forge = new GiteaCommits(Http(ForgeKind.Gitea, server, "/api/v1/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "more than 1000 pages");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("file:///etc/passwd")]
    [DataRow("/2.0/repositories/team/config/src/")]
    public void A_Bitbucket_listing_whose_next_page_is_not_an_HTTP_URL_is_GITOPS107(string next)
    {
        // Before: an empty or relative "next" read the same page again until the deadline; file:// was NotSupportedException.
        using var server = Routes(_ => $$"""{"values":[{"type":"commit_file","path":"apps/x.yaml","size":10}],"next":"{{next}}"}""");
        using var forge = new GitOps.Build.Forge.Bitbucket.BitbucketCommits(Http(ForgeKind.Bitbucket, server, "/2.0/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).ListFiles("apps").ToList());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "not an HTTP(S) URL");
    }

    [TestMethod]
    public void A_GitHub_file_whose_content_is_not_base64_is_GITOPS107()
    {
        // Before: FormatException (MSB4018).
        using var server = Routes(_ => $$"""{"type":"file","path":"a.yaml","size":4,"sha":"{{Sha}}","content":"not base64 at all!","encoding":"base64"}""");
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).TryReadFile("a.yaml", out _));

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "not base64");
    }

    [TestMethod]
    public void A_Gitea_blob_whose_content_is_not_base64_is_GITOPS107()
    {
        using var server = Routes(_ => """{"sha":"x","content":"%%%","encoding":"base64","size":3}""");
        using var forge = new GiteaCommits(Http(ForgeKind.Gitea, server, "/api/v1/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            forge.ReadAsync(Tip, new ForgeEntry("a.yaml", 3, null, Sha), CancellationToken.None).GetAwaiter().GetResult());

        Assert.AreEqual(Errors.ApiAnswerUnusable.Code, error.Code, error.Message);
    }

    [TestMethod]
    public void Held_a_GitHub_contents_answer_for_another_path_is_GITOPS050_not_that_file()
    {
        using var server = Routes(_ => $$"""{"type":"file","path":"secrets/other.yaml","size":4,"sha":"{{Sha}}","content":"YTogMQo=","encoding":"base64"}""");
        using var forge = new GitHubCommits(Http(ForgeKind.GitHub, server, "/"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Tree(forge).TryReadFile("a.yaml", out _));

        Assert.AreEqual(Errors.ManifestIsSymbolicLink.Code, error.Code, error.Message);
    }
}
