using System.Text;
using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:ContainerRuntimeIdentifiers="linux-x64;linux-arm64"` of samples/app on the two-platform base
/// (build/env/multiarch-base-image.sh): the SDK pushes an OCI image index, and what is deployed is that index's digest,
/// checked against the registry's own bytes (skopeo inspect --raw | sha256sum), not against anything the build says.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class MultiArchPublishTests
{
    private const string Repository = "team/sample-app";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    [TestMethod]
    public void A_two_platform_publish_deploys_the_digest_of_the_index_the_registry_holds()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var image = $"{environment.Registry}/{Repository}:{app.Head[..7]}";

        // The quotes keep the ';' inside the property, as a user types it in a shell. The SDK restores only the
        // RuntimeIdentifiers, so the container RIDs must be among them (docs/recipes.md).
        var publish = app.PublishWithGitOps(environment, config.Url, null,
            "-p:RuntimeIdentifiers=\"linux-x64;linux-arm64\"", "-p:ContainerRuntimeIdentifiers=\"linux-x64;linux-arm64\"", $"-p:ContainerBaseImage={environment.MultiArchBaseImage}",
            "-p:GitOpsImageReferenceFormat=TagAndDigest");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        var digest = RawDigest(image);
        using var index = JsonDocument.Parse(Raw(image));
        Assert.AreEqual(OciIndex, index.RootElement.GetProperty("mediaType").GetString(), "the tag names an image index");
        CollectionAssert.AreEquivalent(new[] { "linux/amd64", "linux/arm64" }, Platforms(index.RootElement));

        // One deploy, and the commit, the manifest and the result file all carry the index's digest.
        Assert.AreEqual(1, publish.StandardOutput.Split('\n').Count(l => l.Contains("GitOps: deployed", StringComparison.Ordinal)), publish.StandardOutput);
        Assert.AreEqual(before, config.Parent(), "one config commit");
        var trailers = config.Trailers();
        Assert.AreEqual(digest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual(image, trailers["GitOps-Image"]);
        var expected = Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath, before))
            .Replace(TestConfigRepository.InitialImage, $"{image}@{digest}", StringComparison.Ordinal);
        Assert.AreEqual(expected, Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)), "only the image references, pinned to the index");
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ProjectDirectory, "bin", "Release", "net10.0", "publish", "gitops-result.json")));
        StringAssert.Contains(result.RootElement.ToString(), digest);

        // Each platform's image is built on that platform's half of the base: its configuration and base layers say so.
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            using var appImage = Inspect($"{environment.Registry}/{Repository}@{digest}", architecture);
            using var baseImage = Inspect(environment.MultiArchBaseImage, architecture);
            Assert.AreEqual(architecture, appImage.RootElement.GetProperty("Architecture").GetString());
            var baseLayers = Layers(baseImage.RootElement);
            CollectionAssert.AreEqual(baseLayers, Layers(appImage.RootElement).Take(baseLayers.Length).ToArray(), $"{architecture} base layers");
        }
    }

    [TestMethod]
    public void The_two_platform_base_image_is_an_index_of_linux_amd64_and_linux_arm64()
    {
        var environment = TestEnvironment.Require();

        using var index = JsonDocument.Parse(Raw(environment.MultiArchBaseImage));

        Assert.AreEqual(OciIndex, index.RootElement.GetProperty("mediaType").GetString());
        CollectionAssert.AreEquivalent(new[] { "linux/amd64", "linux/arm64" }, Platforms(index.RootElement));
        // Its amd64 half is the single-platform base itself.
        var amd64 = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.GetProperty("platform").GetProperty("architecture").GetString() == "amd64");
        Assert.AreEqual(RawDigest(environment.BaseImage), amd64.GetProperty("digest").GetString());
    }

    private static JsonDocument Inspect(string image, string architecture)
    {
        var inspect = ProcessRunner.Run("skopeo", ["inspect", "--tls-verify=false", "--override-os", "linux", "--override-arch", architecture, $"docker://{image}"]);
        Assert.IsTrue(inspect.Succeeded, inspect.ToString());
        return JsonDocument.Parse(inspect.StandardOutput);
    }

    private static string[] Layers(JsonElement image) => [.. image.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!)];

    private static string Raw(string image)
    {
        var raw = ProcessRunner.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{image}"]);
        Assert.IsTrue(raw.Succeeded, raw.ToString());
        return raw.StandardOutput;
    }

    // The registry addresses a manifest by the SHA-256 of its bytes: hashed by sha256sum, so no text decoding comes between.
    private static string RawDigest(string image)
    {
        var hash = ProcessRunner.Run("bash", ["-c", "set -o pipefail; skopeo inspect --raw --tls-verify=false \"docker://$1\" | sha256sum", "raw-digest", image]);
        Assert.IsTrue(hash.Succeeded, hash.ToString());
        return "sha256:" + hash.StandardOutput.Split(' ')[0];
    }

    private static string[] Platforms(JsonElement index) =>
        [.. index.GetProperty("manifests").EnumerateArray()
            .Select(m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}")];
}
