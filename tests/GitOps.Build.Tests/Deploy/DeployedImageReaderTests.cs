using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Deploy;

/// <summary>What an environment runs, read from its manifests with the deploy's own format readers (in-memory trees: no Git here).</summary>
[TestClass]
public sealed class DeployedImageReaderTests
{
    private const string Repository = "registry.example.com/team/app";
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string OtherDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static EnvironmentImage Read(Dictionary<string, string> files, params ManifestTarget[] manifests) =>
        DeployedImageReader.Read(new DictionaryTree(files), "staging", manifests, ImageReference.Parse(Repository), "main", "config.git");

    private static ManifestTarget Target(string path, ManifestEditOptions? options = null) => new(path, options ?? new ManifestEditOptions());

    private static string Kustomization(string tagAndDigest) => $"""
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        images:
          - name: app
            newName: {Repository}
        {tagAndDigest}
        """;

    [TestMethod]
    public void A_kustomization_with_a_tag_and_a_digest_runs_exactly_that_tag_and_digest()
    {
        var deployed = Read(new() { ["envs/staging/kustomization.yaml"] = Kustomization($"    newTag: \"1234567\"\n    digest: {Digest}") },
            Target("envs/staging/kustomization.yaml"));

        Assert.AreEqual($"{Repository}:1234567@{Digest}", deployed.Image.ToString());
        CollectionAssert.AreEqual(new[] { "envs/staging/kustomization.yaml" }, deployed.Files.ToList());
    }

    [TestMethod]
    public void A_deployment_written_by_tag_runs_that_tag_and_no_digest()
    {
        var deployed = Read(new() { ["apps/app/deployment.yaml"] = TestManifest.Deployment($"{Repository}:abc1234") }, Target("apps/app/deployment.yaml"));

        Assert.AreEqual($"{Repository}:abc1234", deployed.Image.ToString());
    }

    [TestMethod]
    public void Helm_values_without_a_digest_key_are_read_by_their_tag()
    {
        var values = $"image:\n  repository: {Repository}\n  tag: \"v7\"\n";

        var deployed = Read(new() { ["charts/app/values.yaml"] = values }, Target("charts/app/values.yaml", new ManifestEditOptions { Format = ManifestFormat.Helm }));

        Assert.AreEqual($"{Repository}:v7", deployed.Image.ToString());
    }

    [TestMethod]
    public void A_directory_whose_files_agree_reads_as_one_image_from_all_of_them()
    {
        var deployed = Read(new()
        {
            ["envs/staging/web.yaml"] = TestManifest.Deployment($"{Repository}:abc1234@{Digest}", "web"),
            ["envs/staging/worker.yaml"] = TestManifest.Deployment($"{Repository}:abc1234", "worker"),
        }, Target("envs/staging"));

        Assert.AreEqual($"{Repository}:abc1234@{Digest}", deployed.Image.ToString());
        Assert.AreEqual(2, deployed.Files.Count);
    }

    [TestMethod]
    public void Manifests_that_disagree_on_the_tag_are_ambiguous_GITOPS055_naming_each_value_and_file()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Read(new()
        {
            ["envs/staging/web.yaml"] = TestManifest.Deployment($"{Repository}:aaaaaaa", "web"),
            ["envs/staging/worker.yaml"] = TestManifest.Deployment($"{Repository}:bbbbbbb", "worker"),
        }, Target("envs/staging")));

        Assert.AreEqual("GITOPS055", error.Code);
        StringAssert.Contains(error.Message, "'aaaaaaa' in envs/staging/web.yaml");
        StringAssert.Contains(error.Message, "'bbbbbbb' in envs/staging/worker.yaml");
    }

    [TestMethod]
    public void Manifests_that_disagree_on_the_digest_are_ambiguous_GITOPS055()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Read(new()
        {
            ["a.yaml"] = TestManifest.Deployment($"{Repository}:same@{Digest}", "web"),
            ["b.yaml"] = TestManifest.Deployment($"{Repository}:same@{OtherDigest}", "worker"),
        }, Target("a.yaml"), Target("b.yaml")));

        Assert.AreEqual("GITOPS055", error.Code);
    }

    [TestMethod]
    public void Manifests_without_the_repository_are_GITOPS054_listing_the_images_found()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Read(new() { ["apps/app/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/app-worker:abc1234") }, Target("apps/app/deployment.yaml")));

        Assert.AreEqual("GITOPS054", error.Code);
        StringAssert.Contains(error.Message, "registry.example.com/team/app-worker:abc1234");
        StringAssert.Contains(error.Message, "'staging'");
    }
}
