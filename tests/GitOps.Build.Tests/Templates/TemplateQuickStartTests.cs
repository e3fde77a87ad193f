using System.Text;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Templates;

/// <summary>
/// The README's quick start, end to end: `dotnet new web`, `dotnet new gitops`, `dotnet new gitops-config` pushed to
/// the git server of build/env, then one `dotnet publish -p:GitOpsPush=true` with the packed SDK and the test registry.
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class TemplateQuickStartTests
{
    [TestMethod]
    public void Three_dotnet_new_commands_and_one_publish_make_a_deploy_commit_in_the_generated_repository()
    {
        var environment = TestEnvironment.Require();
        var root = Directory.CreateTempSubdirectory("gitops-quickstart-").FullName;
        try
        {
            var registry = environment.Registry + "/team";
            var configDirectory = Directory.CreateDirectory(Path.Combine(root, "config")).FullName;
            var generated = TemplatePackage.New(configDirectory, "gitops-config", "--app", "quickstart", "--registry", registry);
            Assert.IsTrue(generated.Succeeded, generated.ToString());
            using var config = TestConfigRepository.OnServer(environment, configDirectory);
            var before = config.Head;

            var app = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
            SdkPackage.WriteNuGetConfig(root);
            var web = TemplatePackage.New(app, "web", "--no-restore");
            Assert.IsTrue(web.Succeeded, web.ToString());
            var wire = TemplatePackage.New(app, "gitops", "--app", "quickstart", "--registry", registry, "--config-repository", config.Url);
            Assert.IsTrue(wire.Succeeded, wire.ToString());
            File.WriteAllText(Path.Combine(app, ".gitignore"), "bin/\nobj/\n");
            Git(root, "init", "-q", "-b", "main");
            Git(root, "add", "-A");
            Git(root, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "New app", "-m", $"Workspace: {Path.GetFileName(root)}");
            var appCommit = Git(root, "rev-parse", "HEAD").Trim();

            var variables = TemplatePackage.DotnetEnvironment();
            foreach (var (key, value) in environment.ContainerVariables) variables[key] = value;
            variables["GITOPS_TOKEN"] = environment.GitToken;
            var publish = ProcessRunner.Run("dotnet",
                ["publish", "-c", "Release", "-p:GitOpsPush=true", "-p:GitOpsEnvironment=staging", $"-p:ContainerBaseImage={environment.BaseImage}"],
                app, variables, TimeSpan.FromMinutes(8));
            Assert.IsTrue(publish.Succeeded, publish.ToString());

            const string Staging = "apps/quickstart/overlays/staging/kustomization.yaml";
            Assert.AreNotEqual(before, config.Head, "no deploy commit");
            CollectionAssert.AreEqual(new[] { Staging }, config.ChangedFiles(before, config.Head));
            var overlay = Encoding.UTF8.GetString(config.ReadFile(Staging));
            var path = Path.Combine(root, "staging.yaml");
            File.WriteAllText(path, overlay);
            var image = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)
                GeneratedYaml.Node(GeneratedYaml.Documents(path).Single(), "images")!)[0];
            Assert.AreEqual($"{registry}/quickstart", GeneratedYaml.Scalar(image, "newName"));
            var tag = GeneratedYaml.Scalar(image, "newTag")!;
            Assert.IsTrue(tag.Length >= 7 && appCommit.StartsWith(tag, StringComparison.Ordinal), $"newTag {tag} is not app commit {appCommit}");
            StringAssert.Contains(config.Subject(), "team/quickstart:" + tag);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(root); }
    }

    private static string Git(string directory, params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, directory);
        Assert.IsTrue(result.Succeeded, result.ToString());
        return result.StandardOutput;
    }
}
