using System.Text;
using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true` of samples/app against the real registry and the HTTP git server,
/// checked with skopeo, git and podman.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class PublishEndToEndTests
{
    private const string Repository = "team/sample-app";

    private static ProcessResult Publish(TestEnvironment environment, AppWorkspace app, TestConfigRepository config, string token,
        params string[] extraArguments) =>
        app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?> { ["GITOPS_TOKEN"] = token }, extraArguments);

    private static string RegistryDigest(string image)
    {
        var inspect = ProcessRunner.Run("skopeo", ["inspect", "--tls-verify=false", $"docker://{image}"]);
        Assert.IsTrue(inspect.Succeeded, inspect.ToString());
        return JsonDocument.Parse(inspect.StandardOutput).RootElement.GetProperty("Digest").GetString()!;
    }

    [TestMethod]
    public void Publish_pushes_a_commit_tagged_image_and_commits_exactly_the_image_lines()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var tag = app.Head[..7];
        var image = $"{environment.Registry}/{Repository}:{tag}";

        var publish = Publish(environment, app, config, environment.GitToken);

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, $"GitOps: deployed {image}");
        StringAssert.Contains(publish.StandardOutput, "while the app was built", "the config repository is cloned during the build, not after the push");

        // The registry has the tag, and the commit's digest trailer is the registry's digest.
        var registryDigest = RegistryDigest(image);

        Assert.AreEqual(before, config.Parent(), "one commit on top of the previous tip");
        Assert.AreEqual($"Deploy {Repository}:{tag}", config.Subject());
        var trailers = config.Trailers();
        Assert.AreEqual(registryDigest, trailers["GitOps-Image-Digest"]);
        Assert.AreEqual(app.Head, trailers["GitOps-Source-Commit"]);
        Assert.AreEqual(image, trailers["GitOps-Image"]);

        // Only the image references changed, byte for byte.
        CollectionAssert.AreEqual(new[] { TestConfigRepository.DeploymentPath }, config.ChangedFiles(before, "main"));
        var expected = Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath, before))
            .Replace(TestConfigRepository.InitialImage, image, StringComparison.Ordinal);
        Assert.AreEqual(expected, Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)));
        Assert.IsFalse(publish.StandardOutput.Contains(environment.GitToken, StringComparison.Ordinal), "token in the build output");

        // The image runs and serves the app.
        AssertServes(environment, image, hostPort: 18081);
    }

    [TestMethod]
    public void Publishing_the_same_commit_again_makes_no_new_config_commit()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);

        var first = Publish(environment, app, config, environment.GitToken);
        Assert.IsTrue(first.Succeeded, first.ToString());
        var afterFirst = config.Head;

        var second = Publish(environment, app, config, environment.GitToken);

        Assert.IsTrue(second.Succeeded, second.ToString());
        Assert.AreEqual(afterFirst, config.Head);
        StringAssert.Contains(second.StandardOutput, "nothing to commit");
        // The SDK's second image of the same commit has another digest (timestamps): the tag moved under the config.
        StringAssert.Contains(second.StandardOutput, "warning GITOPS061");
    }

    [TestMethod]
    public void A_multi_RID_publish_deploys_once_with_the_index_digest_and_keeps_the_users_tag()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var image = $"{environment.Registry}/{Repository}:{app.Head[..7]}";

        // A RID list makes the SDK publish each RID in an inner build and push an image index for the tags.
        var publish = Publish(environment, app, config, environment.GitToken, "-p:RuntimeIdentifiers=linux-x64", "-p:ContainerImageTag=stable");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(1, publish.StandardOutput.Split('\n').Count(l => l.Contains("GitOps: deployed", StringComparison.Ordinal)), publish.StandardOutput);
        Assert.AreEqual(RegistryDigest(image), config.Trailers()["GitOps-Image-Digest"]);
        Assert.AreEqual(RegistryDigest(image), RegistryDigest($"{environment.Registry}/{Repository}:stable"));
    }

    [TestMethod]
    public void A_console_app_is_published_and_deployed_too()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(
            AppWorkspace.ConsoleProject($"<ContainerRepository>{Repository}</ContainerRepository>{AppWorkspace.ManifestPathProperty}"));
        using var config = TestConfigRepository.Local();
        var image = $"{environment.Registry}/{Repository}:{app.Head[..7]}";

        var publish = app.PublishWithGitOps(environment, config.Url, null, $"-p:ContainerBaseImage={environment.RuntimeBaseImage}");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(RegistryDigest(image), config.Trailers()["GitOps-Image-Digest"]);
    }

    [TestMethod]
    public void A_build_that_fails_to_compile_leaves_no_config_clone_behind()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        File.WriteAllText(Path.Combine(app.ProjectDirectory, "Broken.cs"), "this is not C#\n");
        app.Commit("Break the build");
        using var config = TestConfigRepository.OnServer(environment);
        var temp = Directory.CreateTempSubdirectory("gitops-tmpdir-").FullName;
        try
        {
            var publish = app.PublishWithGitOps(environment, config.Url,
                new Dictionary<string, string?> { ["TMPDIR"] = temp }, "-v:d");

            Assert.AreNotEqual(0, publish.ExitCode, "the build should fail");
            StringAssert.Contains(publish.StandardOutput, "error CS");
            StringAssert.Contains(publish.StandardOutput, "in the background while the app is built", "the clone was started");
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetDirectories(temp, "gitops-config-*"));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [TestMethod]
    public void A_build_with_GitOpsPush_set_clones_nothing()
    {
        // CI may set GitOpsPush=true for the whole job: its `dotnet build` and `dotnet test` must not fetch the config.
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);

        var build = app.Dotnet(environment.ContainerVariables, "build", "-c", "Release", "-v:d", "-p:GitOpsPush=true",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:ContainerRegistry={environment.Registry}");

        Assert.IsTrue(build.Succeeded, build.ToString());
        StringAssert.Contains(build.StandardOutput, "GitOps: image tag ");
        Assert.IsFalse(build.StandardOutput.Contains("in the background", StringComparison.Ordinal), "a build cloned the config repository");
    }

    [TestMethod]
    public void A_wrong_token_fails_with_GITOPS020_and_leaves_the_config_repository_unchanged()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        const string wrongToken = "wrong-token-7f3a9c";

        var publish = Publish(environment, app, config, wrongToken);

        Assert.AreNotEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS020");
        StringAssert.Contains(publish.StandardOutput, "GITOPS_TOKEN");
        Assert.IsFalse(publish.StandardOutput.Contains(wrongToken, StringComparison.Ordinal), "token in the build output");
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void The_standalone_target_deploys_an_existing_image_without_building()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var image = $"{environment.Registry}/{Repository}:promoted1";

        var result = app.Dotnet(new Dictionary<string, string?> { ["GITOPS_TOKEN"] = environment.GitToken },
            "msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsImage={image}", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.IsTrue(result.Succeeded, result.ToString());
        Assert.AreEqual($"Deploy {Repository}:promoted1", config.Subject());
        StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)), $"image: \"{image}\"");
        Assert.IsFalse(Directory.EnumerateFiles(app.ProjectDirectory, "SampleApp.dll", SearchOption.AllDirectories).Any(), "the standalone target must not build");
        Assert.IsTrue(File.Exists(Path.Combine(app.ProjectDirectory, "bin", "Debug", "net10.0", "publish", "gitops-result.json")), "the result file");
    }

    private static void AssertServes(TestEnvironment environment, string image, int hostPort)
    {
        var run = ProcessRunner.Run(environment.RunImageScript, [image, hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            environment: environment.ContainerVariables, timeout: TimeSpan.FromMinutes(2));
        Assert.IsTrue(run.Succeeded, run.ToString());
        var container = run.StandardOutput.Trim();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string? lastError = null;
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var response = http.GetAsync($"http://127.0.0.1:{hostPort}/").GetAwaiter().GetResult();
                    Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
                    StringAssert.Contains(response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), "Hello from the GitOps.Build sample");
                    return;
                }
                catch (HttpRequestException e)
                {
                    lastError = e.Message;
                }
                catch (TaskCanceledException e)
                {
                    lastError = e.Message;
                }
                Thread.Sleep(300);
            }
            Assert.Fail($"{image} did not answer on port {hostPort}: {lastError}");
        }
        finally
        {
            ProcessRunner.Run(environment.RemoveContainerScript, [container], environment: environment.ContainerVariables);
        }
    }
}
