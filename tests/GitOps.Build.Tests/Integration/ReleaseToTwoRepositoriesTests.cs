using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// A release whose projects name different config repositories: one commit in each, holding only its own projects'
/// images, against the real registry and HTTP git server (issue 20).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class ReleaseToTwoRepositoriesTests
{
    [TestMethod]
    public void Two_projects_whose_config_repositories_differ_make_one_commit_in_each()
    {
        var environment = TestEnvironment.Require();
        // Each project names its repository through a property given on the command line (a global
        // GitOpsConfigRepository would win over both).
        using var shop = ReleaseWorkspace.Create(properties: service =>
            $"<GitOpsConfigRepository>$(ConfigOf_{service.Replace('-', '_')})</GitOpsConfigRepository>");
        using var webConfig = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        using var apiConfig = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var (webBefore, apiBefore) = (webConfig.Head, apiConfig.Head);
        var tag = shop.Head[..7];

        var publish = shop.Publish(environment, "Shop.slnx", configUrl: null, registryOnCommandLine: true, variables: null,
            $"-p:ConfigOf_shop_web={webConfig.Url}", $"-p:ConfigOf_shop_api={apiConfig.Url}");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        foreach (var (config, before, service) in new[] { (webConfig, webBefore, "shop-web"), (apiConfig, apiBefore, "shop-api") })
        {
            var image = $"{environment.Registry}/{ReleaseWorkspace.Repository(service)}:{tag}";
            Assert.AreEqual(before, config.Parent(), $"{service}: exactly one commit on top of the tip");
            CollectionAssert.AreEqual(new[] { ReleaseWorkspace.Manifest(service) }, config.ChangedFiles(before, "main"), $"{service}: only its own manifest");
            StringAssert.Contains(System.Text.Encoding.UTF8.GetString(config.ReadFile(ReleaseWorkspace.Manifest(service))), $"image: {image}\n");
            var trailers = GitTrailers.ParseAll(config.Message());
            CollectionAssert.AreEqual(new[] { image }, trailers.Where(t => t.Key == "GitOps-Image").Select(t => t.Value).ToArray(), config.Message());
            CollectionAssert.AreEqual(new[] { service + ".csproj" }, trailers.Where(t => t.Key == "GitOps-Project").Select(t => t.Value).ToArray());
            Assert.AreEqual(shop.Head, trailers.Single(t => t.Key == "GitOps-Source-Commit").Value);
            StringAssert.Contains(publish.StandardOutput, $"GitOps: deployed {image}", publish.StandardOutput);
        }
        Assert.AreEqual(2, publish.StandardOutput.Split('\n').Count(line => line.Contains("GitOps: deployed", StringComparison.Ordinal)),
            publish.StandardOutput);
    }
}
