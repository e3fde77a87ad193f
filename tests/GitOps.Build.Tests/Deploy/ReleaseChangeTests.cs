using System.Text;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Deploy;

/// <summary>A release: several images applied to one tip as one change, and the message that names them all.</summary>
[TestClass]
public sealed class ReleaseChangeTests
{
    private const string Kustomization = "apps/shop/kustomization.yaml";

    private static DictionaryTree Repository() => new(new Dictionary<string, string>
    {
        [Kustomization] = """
            resources:
              - deployment.yaml
            images:
              - name: registry.example.com/team/web
                newTag: old1111
              - name: registry.example.com/team/api
                newTag: old2222

            """,
        ["apps/web/deployment.yaml"] = "image: registry.example.com/team/web:old1111\n",
        ["apps/worker/deployment.yaml"] = "image: registry.example.com/team/worker:old3333\n",
    });

    private static ManifestImageChange Change(string image, params string[] paths) =>
        new(paths.Select(p => new ManifestTarget(p, new ManifestEditOptions())).ToList(), ImageReference.Parse(image), "main", "https://git.example.com/config.git");

    [TestMethod]
    public void Two_images_in_one_kustomization_are_both_edited_in_one_file_change()
    {
        var verdict = new ReleaseChange([
            Change("registry.example.com/team/web:abc1234", Kustomization),
            Change("registry.example.com/team/api:abc1234", Kustomization),
        ]).Apply(Repository());

        var file = verdict.Files.Single();
        Assert.AreEqual(Kustomization, file.Path);
        Assert.AreEqual("""
            resources:
              - deployment.yaml
            images:
              - name: registry.example.com/team/web
                newTag: abc1234
              - name: registry.example.com/team/api
                newTag: abc1234

            """, Encoding.UTF8.GetString(file.NewContent));
        StringAssert.Contains(Encoding.UTF8.GetString(file.OldContent), "newTag: old1111", "the old content is the tip's, not the first image's edit");
        Assert.AreEqual(2, verdict.Images.Count);
        Assert.IsTrue(verdict.Images.All(v => v is DeployVerdict.Edited));
    }

    [TestMethod]
    public void Images_in_different_files_change_each_file_once()
    {
        var verdict = new ReleaseChange([
            Change("registry.example.com/team/web:abc1234", "apps/web/deployment.yaml"),
            Change("registry.example.com/team/worker:abc1234", "apps/worker/deployment.yaml"),
        ]).Apply(Repository());

        CollectionAssert.AreEqual(new[] { "apps/web/deployment.yaml", "apps/worker/deployment.yaml" }, verdict.Files.Select(f => f.Path).ToArray());
    }

    [TestMethod]
    public void An_image_that_is_already_deployed_leaves_the_others_to_commit()
    {
        var verdict = new ReleaseChange([
            Change("registry.example.com/team/web:old1111", "apps/web/deployment.yaml"),
            Change("registry.example.com/team/worker:abc1234", "apps/worker/deployment.yaml"),
        ]).Apply(Repository());

        Assert.AreEqual("apps/worker/deployment.yaml", verdict.Files.Single().Path);
        Assert.IsInstanceOfType<DeployVerdict.AlreadyDeployed>(verdict.Images[0]);
    }

    [TestMethod]
    public void A_manifest_edit_that_fails_fails_the_whole_release()
    {
        var release = new ReleaseChange([
            Change("registry.example.com/team/web:abc1234", "apps/web/deployment.yaml"),
            Change("registry.example.com/team/missing:abc1234", "apps/worker/deployment.yaml"),
        ]);

        var error = Assert.ThrowsExactly<GitOpsException>(() => release.Apply(Repository()));
        Assert.AreEqual("GITOPS040", error.Code);
    }

    private static DeploymentFacts Facts(string image, string project, string source = "abc1234" + "0000000000000000000000000000000000") =>
        new(ImageReference.Parse(image), "sha256:" + new string(project[0], 64), source, "https://git.example.com/shop.git", project, "https://ci.example.com/run/7");

    [TestMethod]
    public void A_release_message_names_every_image_its_digest_and_its_project_and_the_shared_source_once()
    {
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj"),
            Facts("registry.example.com/team/web:abc1234", "Web.csproj"),
        ]);

        Assert.AreEqual("Deploy team/api:abc1234, team/web:abc1234", message.Split('\n')[0]);
        var trailers = GitTrailers.ParseAll(message);
        CollectionAssert.AreEqual(new[]
        {
            "GitOps-Images", "GitOps-Source-Commit", "GitOps-Source-Repository", "GitOps-Build-Url",
            "GitOps-Image", "GitOps-Image-Digest", "GitOps-Project",
            "GitOps-Image", "GitOps-Image-Digest", "GitOps-Project",
        }, trailers.Select(t => t.Key).ToArray());
        CollectionAssert.AreEqual(new[] { "registry.example.com/team/api:abc1234", "registry.example.com/team/web:abc1234" },
            trailers.Where(t => t.Key == "GitOps-Image").Select(t => t.Value).ToArray());
        CollectionAssert.AreEqual(new[] { "sha256:" + new string('A', 64), "sha256:" + new string('W', 64) },
            trailers.Where(t => t.Key == "GitOps-Image-Digest").Select(t => t.Value).ToArray());
        CollectionAssert.AreEqual(new[] { "Api.csproj", "Web.csproj" }, trailers.Where(t => t.Key == "GitOps-Project").Select(t => t.Value).ToArray());
    }

    [TestMethod]
    public void Images_built_from_different_commits_carry_their_source_commit_in_their_own_group()
    {
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj", "a" + new string('1', 39)),
            Facts("registry.example.com/team/web:def5678", "Web.csproj", "b" + new string('2', 39)),
        ]);

        var keys = GitTrailers.ParseAll(message).Select(t => t.Key).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "GitOps-Images", "GitOps-Source-Repository", "GitOps-Build-Url",
            "GitOps-Image", "GitOps-Image-Digest", "GitOps-Project", "GitOps-Source-Commit",
            "GitOps-Image", "GitOps-Image-Digest", "GitOps-Project", "GitOps-Source-Commit",
        }, keys);
    }

    [TestMethod]
    public void A_release_of_one_image_has_the_single_deploy_message()
    {
        var facts = Facts("registry.example.com/team/web:abc1234", "Web.csproj");

        Assert.AreEqual(CommitMessage.Render(null, facts), CommitMessage.RenderRelease(null, [facts]));
    }

    [TestMethod]
    public void The_images_of_a_release_message_are_read_back_with_their_digest_project_and_source_commit()
    {
        var shared = "abc1234" + new string('0', 33);
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj", shared),
            Facts("registry.example.com/team/web:abc1234", "Web.csproj", shared),
        ]);

        var images = CommitMessage.ReadImages(message);

        CollectionAssert.AreEqual(new[]
        {
            new GitOps.Build.Ci.DeployedImage("registry.example.com/team/api:abc1234", "sha256:" + new string('A', 64), shared, "Api.csproj"),
            new GitOps.Build.Ci.DeployedImage("registry.example.com/team/web:abc1234", "sha256:" + new string('W', 64), shared, "Web.csproj"),
        }, images.ToArray());
    }

    [TestMethod]
    public void Images_of_different_commits_are_read_back_with_their_own_source_commit()
    {
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj", "a" + new string('1', 39)),
            Facts("registry.example.com/team/web:def5678", "Web.csproj", "b" + new string('2', 39)),
        ]);

        CollectionAssert.AreEqual(new[] { "a" + new string('1', 39), "b" + new string('2', 39) },
            CommitMessage.ReadImages(message).Select(i => i.SourceCommit).ToArray());
    }

    [TestMethod]
    public void A_single_deploy_message_reads_back_as_one_image()
    {
        var facts = Facts("registry.example.com/team/web:abc1234", "Web.csproj");

        var image = CommitMessage.ReadImages(CommitMessage.Render(null, facts)).Single();

        Assert.AreEqual(new GitOps.Build.Ci.DeployedImage(facts.Image.ToString(), facts.ImageDigest, facts.SourceCommit, "Web.csproj"), image);
    }

    [TestMethod]
    public void A_release_message_names_every_image_in_one_GitOps_Images_trailer_that_git_reads_back_as_one_value()
    {
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj"),
            Facts("registry.example.com/team/web:abc1234", "Web.csproj"),
        ]);

        // What a reader that keeps one value per key gets (git interpret-trailers --parse, Argo CD): every image.
        Assert.AreEqual("registry.example.com/team/api:abc1234 registry.example.com/team/web:abc1234", GitTrailers.ParseAll(message).Single(t => t.Key == "GitOps-Images").Value);
        Assert.AreEqual("registry.example.com/team/api:abc1234 registry.example.com/team/web:abc1234", CommitMessage.ReadTrailers(message)["GitOps-Images"]);
    }

    [TestMethod]
    public void Each_image_of_a_release_message_reads_its_own_group_over_the_shared_and_commit_trailers()
    {
        var message = CommitMessage.RenderRelease(null, [
            Facts("registry.example.com/team/api:abc1234", "Api.csproj", "a" + new string('1', 39)),
            Facts("registry.example.com/team/web:def5678", "Web.csproj", "b" + new string('2', 39)),
        ]);

        var trailers = DeployTrailers.Read(message);

        var api = trailers.For(ImageReference.Parse("registry.example.com/team/api"))!;
        Assert.AreEqual("registry.example.com/team/api:abc1234", api[CommitMessage.ImageTrailer]);
        Assert.AreEqual("Api.csproj", api[CommitMessage.ProjectTrailer]);
        Assert.AreEqual("sha256:" + new string('A', 64), api[CommitMessage.ImageDigestTrailer]);
        Assert.AreEqual("a" + new string('1', 39), api[CommitMessage.SourceCommitTrailer]);
        Assert.AreEqual("https://git.example.com/shop.git", api[CommitMessage.SourceRepositoryTrailer], "shared, written before the groups");
        Assert.AreEqual("https://ci.example.com/run/7", api[CommitMessage.BuildUrlTrailer], "the commit's own");
        Assert.AreEqual("Web.csproj", trailers.For(ImageReference.Parse("registry.example.com/team/web:x"))![CommitMessage.ProjectTrailer]);
        Assert.IsNull(trailers.For(ImageReference.Parse("registry.example.com/team/api-worker")), "another repository is not a prefix match");
    }

    [TestMethod]
    public void A_single_deploy_message_reads_as_one_group_with_its_commit_trailers()
    {
        var facts = Facts("registry.example.com/team/web:abc1234", "Web.csproj") with { MoreTrailers = [new(CommitMessage.PromotedFromTrailer, "staging")] };

        var trailers = DeployTrailers.Read(CommitMessage.Render(null, facts)).Images.Single();

        CollectionAssert.AreEquivalent(CommitMessage.ReadTrailers(CommitMessage.Render(null, facts)).ToArray(), trailers.ToArray());
    }
}
