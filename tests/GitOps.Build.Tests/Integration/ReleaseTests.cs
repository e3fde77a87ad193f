using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// One release, one commit: `dotnet publish` of a solution (or a traversal project) of two container projects pushes
/// both images, then makes one config commit that deploys both, against the real registry and HTTP git server.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class ReleaseTests
{
    private static string RegistryDigest(string image)
    {
        var inspect = ProcessRunner.Run("skopeo", ["inspect", "--tls-verify=false", $"docker://{image}"]);
        Assert.IsTrue(inspect.Succeeded, inspect.ToString());
        return JsonDocument.Parse(inspect.StandardOutput).RootElement.GetProperty("Digest").GetString()!;
    }

    private static int Count(string text, string what) => text.Split('\n').Count(line => line.Contains(what, StringComparison.Ordinal));

    /// <summary>The commit on <paramref name="revision"/> deploys every service of <paramref name="shop"/> and says so in its trailers.</summary>
    private static void AssertDeploysAll(TestEnvironment environment, ReleaseWorkspace shop, TestConfigRepository config, string before, string revision)
    {
        var tag = shop.Head[..7];
        Assert.AreEqual(before, config.Parent(revision), "exactly one commit on top of the tip");
        var images = shop.Services.Select(s => $"{environment.Registry}/{ReleaseWorkspace.Repository(s)}:{tag}").ToList();
        foreach (var service in shop.Services)
            StringAssert.Contains(System.Text.Encoding.UTF8.GetString(config.ReadFile(ReleaseWorkspace.Manifest(service), revision)),
                $"image: {environment.Registry}/{ReleaseWorkspace.Repository(service)}:{tag}\n");
        CollectionAssert.AreEquivalent(shop.Services.Select(ReleaseWorkspace.Manifest).ToArray(), config.ChangedFiles(before, revision));

        var trailers = GitTrailers.ParseAll(config.Message(revision));
        // Projects in name order: shop-api before shop-web.
        var ordered = shop.Services.Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(ordered.Select(s => $"{environment.Registry}/{ReleaseWorkspace.Repository(s)}:{tag}").ToArray(),
            trailers.Where(t => t.Key == "GitOps-Image").Select(t => t.Value).ToArray());
        CollectionAssert.AreEqual(ordered.Select(s => RegistryDigest($"{environment.Registry}/{ReleaseWorkspace.Repository(s)}:{tag}")).ToArray(),
            trailers.Where(t => t.Key == "GitOps-Image-Digest").Select(t => t.Value).ToArray());
        CollectionAssert.AreEqual(ordered.Select(s => s + ".csproj").ToArray(), trailers.Where(t => t.Key == "GitOps-Project").Select(t => t.Value).ToArray());
        Assert.AreEqual(shop.Head, trailers.Single(t => t.Key == "GitOps-Source-Commit").Value);
        _ = images;
    }

    [TestMethod]
    [DataRow("-m", DisplayName = "parallel (-m)")]
    [DataRow("-m:1", DisplayName = "one node (-m:1)")]
    public void A_solution_of_two_services_is_deployed_in_exactly_one_config_commit(string nodes)
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, nodes);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(2, Count(publish.StandardOutput, "joins the release"), publish.StandardOutput);
        Assert.AreEqual(1, Count(publish.StandardOutput, "GitOps: deployed"), publish.StandardOutput);
        AssertDeploysAll(environment, shop, config, before, "main");

        // Each project's result file lists the whole release.
        var tag = shop.Head[..7];
        foreach (var service in shop.Services)
        {
            var resultFile = Path.Combine(shop.Root, service, "bin", "Release", "net10.0", "publish", "gitops-result.json");
            using var json = JsonDocument.Parse(File.ReadAllText(resultFile));
            Assert.AreEqual(config.Head, json.RootElement.GetProperty("configCommit").GetString());
            CollectionAssert.AreEquivalent(shop.Services.Select(s => $"{environment.Registry}/{ReleaseWorkspace.Repository(s)}:{tag}").ToArray(),
                json.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("image").GetString()).ToArray());
            CollectionAssert.AreEquivalent(shop.Services.Select(s => s + ".csproj").ToArray(),
                json.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("project").GetString()).ToArray());
        }
        var directory = System.Text.RegularExpressions.Regex.Match(publish.StandardOutput, "GitOps: release directory (\\S+)").Groups[1].Value;
        Assert.AreNotEqual("", directory, publish.StandardOutput);
        Assert.IsFalse(Directory.Exists(directory), "the release directory is deleted");
    }

    [TestMethod]
    public void After_a_release_status_finds_each_projects_deploy_commit_and_a_promotion_carries_the_first_projects_source_trailers()
    {
        var environment = TestEnvironment.Require();
        // staging is where the publish deploys (GitOpsManifestPath); production starts at :initial too.
        static string Production(string service) => $"apps/{service}/production.yaml";
        using var shop = ReleaseWorkspace.Create(items: service =>
            $"<GitOpsEnvironment Include=\"staging\" ManifestPath=\"{ReleaseWorkspace.Manifest(service)}\" />"
            + $"<GitOpsEnvironment Include=\"production\" ManifestPath=\"{Production(service)}\" />");
        var seed = shop.SeedConfig(environment.Registry);
        foreach (var service in shop.Services)
            File.Copy(Path.Combine(seed, ReleaseWorkspace.Manifest(service)), Path.Combine(seed, Production(service)));
        using var config = TestConfigRepository.OnServer(environment, seed);
        var tag = shop.Head[..7];
        string Image(string service) => $"{environment.Registry}/{ReleaseWorkspace.Repository(service)}:{tag}";
        string[] where = [$"-p:GitOpsConfigRepository={config.Url}", $"-p:ContainerRegistry={environment.Registry}"];

        var publish = shop.Publish(environment, "Shop.slnx", config.Url);
        Assert.IsTrue(publish.Succeeded, publish.ToString());
        var release = config.Head;
        // One value per key, as git and Argo CD read trailers: the summary names both images.
        Assert.AreEqual($"{Image("shop-api")} {Image("shop-web")}", GitTrailers.ParseAll(config.Message()).Single(t => t.Key == "GitOps-Images").Value);

        foreach (var service in shop.Services)
        {
            var status = shop.Msbuild(environment, $"{service}/{service}.csproj", ["-t:GitOpsStatus", .. where]);
            Assert.IsTrue(status.Succeeded, status.ToString());
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(shop.Root, service, "obj", "gitops-status.json")));
            var staging = json.RootElement.GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("environment").GetString() == "staging");
            Assert.AreEqual(Image(service), staging.GetProperty("image").GetString(), staging.ToString());
            Assert.AreEqual(release, staging.GetProperty("deployCommit").GetString(), $"{service}: {staging}");
            Assert.AreEqual(shop.Head, staging.GetProperty("sourceCommit").GetString(), $"{service}: {staging}");
            Assert.AreEqual(RegistryDigest(Image(service)), staging.GetProperty("digest").GetString(), $"{service}: {staging}");
        }

        // shop-api is the release's first image: one value per key would read shop-web's group.
        var promote = shop.Msbuild(environment, "shop-api/shop-api.csproj", ["-t:GitOpsPromote", "-p:GitOpsPromoteFrom=staging", "-p:GitOpsPromoteTo=production", .. where]);

        Assert.IsTrue(promote.Succeeded, promote.ToString());
        Assert.IsFalse(promote.StandardOutput.Contains("GITOPS071", StringComparison.Ordinal), promote.StandardOutput);
        Assert.AreEqual(release, config.Parent());
        StringAssert.Contains(System.Text.Encoding.UTF8.GetString(config.ReadFile(Production("shop-api"))), $"image: {Image("shop-api")}\n");
        var trailers = config.Trailers();
        Assert.AreEqual(Image("shop-api"), trailers["GitOps-Image"]);
        Assert.AreEqual(shop.Head, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual("shop-api.csproj", trailers["GitOps-Project"]);
        Assert.AreEqual(RegistryDigest(Image("shop-api")), trailers["GitOps-Image-Digest"]);
        Assert.AreEqual(release, trailers["GitOps-Promoted-From-Deploy-Commit"]);
    }

    [TestMethod]
    public void A_solution_with_one_container_project_makes_the_commit_a_publish_of_that_project_makes()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create(["shop-web"]);
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;
        var image = $"{environment.Registry}/team/shop-web:{shop.Head[..7]}";

        var publish = shop.Publish(environment, "Shop.slnx", config.Url);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Parent());
        Assert.AreEqual($"Deploy team/shop-web:{shop.Head[..7]}", config.Subject());
        var trailers = config.Trailers(); // one value per key: the single deploy's trailers
        Assert.AreEqual(image, trailers["GitOps-Image"]);
        Assert.AreEqual(RegistryDigest(image), trailers["GitOps-Image-Digest"]);
        Assert.AreEqual("shop-web.csproj", trailers["GitOps-Project"]);
        Assert.AreEqual(shop.Head, trailers["GitOps-Source-Commit"]);
    }

    [TestMethod]
    public void A_traversal_project_of_two_services_is_deployed_in_exactly_one_config_commit()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.proj", config.Url);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(1, Count(publish.StandardOutput, "GitOps: deployed"), publish.StandardOutput);
        // The traversal's Publish builds its projects first: they are built once, with the release directory.
        Assert.AreEqual(2, Count(publish.StandardOutput, "GitOps: image tag "), publish.StandardOutput);
        AssertDeploysAll(environment, shop, config, before, "main");
    }

    [TestMethod]
    public void An_image_that_fails_to_push_makes_no_config_commit_for_any_service()
    {
        var environment = TestEnvironment.Require();
        // shop-api pushes to a port where no registry listens; shop-web to the real one.
        using var shop = ReleaseWorkspace.Create(properties: service =>
            $"<ContainerRegistry>{(service == "shop-api" ? "127.0.0.1:9" : environment.Registry)}</ContainerRegistry>");
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, registryOnCommandLine: false);

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, $"GitOps: pushed image {environment.Registry}/team/shop-web:{shop.Head[..7]}", "the other image was pushed");
        StringAssert.Contains(publish.StandardOutput, "shop-api.csproj", "the failure is the api's");
        Assert.AreEqual(0, Count(publish.StandardOutput, "GitOps: deployed"), publish.StandardOutput);
        Assert.AreEqual(before, config.Head, "no config commit");
    }

    [TestMethod]
    public void A_manifest_edit_that_fails_makes_no_config_commit_for_any_service()
    {
        var environment = TestEnvironment.Require();
        // shop-api names a manifest that does not hold its image.
        using var shop = ReleaseWorkspace.Create(properties: service =>
            service == "shop-api" ? $"<GitOpsManifestPath>{ReleaseWorkspace.Manifest("shop-web")}</GitOpsManifestPath>" : "");
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url);

        Assert.IsFalse(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS040");
        Assert.AreEqual(before, config.Head, "no config commit");
    }

    [TestMethod]
    public void A_solution_in_which_no_project_publishes_an_image_warns_that_nothing_was_deployed()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, "-p:IsPublishable=false");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "warning GITOPS064");
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void Under_a_push_branch_a_release_is_one_branch_with_one_commit()
    {
        var environment = TestEnvironment.Require();
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, "-p:GitOpsConfigPushBranch=release/{ShortSourceCommit}");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Head, "main is left for the pull request");
        var branch = "release/" + shop.Head[..7];
        AssertDeploysAll(environment, shop, config, before, branch);
    }

    [TestMethod]
    [DataRow("Shop.slnx")]
    [DataRow("Shop.proj")]
    public void The_shop_sample_releases_both_services_in_one_commit_to_its_kustomization(string entry)
    {
        var environment = TestEnvironment.Require();
        using var shop = AppWorkspace.FromSample("shop");
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var tag = shop.Head[..7];

        var publish = shop.PublishWithGitOps(environment, config.Url, null, entry);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Parent(), "one commit");
        Assert.AreEqual($"Deploy team/shop-billing:{tag}, team/shop-orders:{tag}", config.Subject());
        CollectionAssert.AreEqual(new[] { "apps/shop/kustomization.yaml" }, config.ChangedFiles(before, "main"));
        var kustomization = System.Text.Encoding.UTF8.GetString(config.ReadFile("apps/shop/kustomization.yaml"));
        Assert.AreEqual(2, Count(kustomization, $"newTag: \"{tag}\"") + Count(kustomization, $"newTag: {tag}"), kustomization);
    }
}
