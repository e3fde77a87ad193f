using System.Text;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Git;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// Bad input to the config step, against a real local bare config repository: each fails with its GITOPS code,
/// pushes nothing (the branch tip is unchanged) and leaves no temporary clone behind.
/// </summary>
[TestClass]
public sealed class BadInputTests
{
    private const string ManifestPath = "apps/app/deployment.yaml";
    private const string Image = "registry.example.com/team/app:v2";

    private static ConfigRemote remote = null!;
    private static ConfigRemote emptyRemote = null!;
    private static string tip = null!;

    [ClassInitialize]
    public static void CreateRemote(TestContext context)
    {
        remote = ConfigRemote.Create("main", new Dictionary<string, string>
        {
            [ManifestPath] = TestManifest.Deployment("registry.example.com/team/app:v1"),
            ["apps/other/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/other:1.0", "other")
                + "---\n" + TestManifest.Deployment("registry.example.com/team/sidecar:2.0", "sidecar"),
            ["apps/broken.yaml"] = "kind: Deployment\nspec: [unclosed\n",
            ["apps/block.yaml"] = TestManifest.Deployment("|\n                    registry.example.com/team/app:v1"),
            ["apps/bomb.yaml"] = AliasBomb(),
            ["docs/README.md"] = "# Not a manifest\n",
        });
        remote.Change("main", "Special files", new Dictionary<string, string>
        {
            ["apps/large.yaml"] = TestManifest.Deployment("registry.example.com/team/app:v1") + "# " + new string('x', ManifestImageChange.MaxManifestBytes) + "\n",
        }, new Dictionary<string, string>
        {
            ["apps/link.yaml"] = "/etc/passwd",
            ["apps/outside"] = "../../..",
        });
        // Latin-1 bytes, which ConfigRemote's text files (UTF-8) cannot hold.
        var work = Path.Combine(remote.Root, "latin1");
        GitCli.Run(remote.Root, "clone", "--quiet", remote.Path, work);
        File.WriteAllBytes(Path.Combine(work, "apps", "latin1.yaml"), Encoding.Latin1.GetBytes("kind: Deployment\n# caf\u00e9\n"));
        GitCli.Run(work, "add", "--all");
        GitCli.Run(work, "commit", "--quiet", "-m", "Latin-1 manifest");
        GitCli.Run(work, "push", "--quiet", "origin", "main");
        TempDirectory.TryDelete(work);
        tip = remote.Tip("main");
        emptyRemote = ConfigRemote.Create("main");
    }

    [ClassCleanup]
    public static void DeleteRemote()
    {
        remote?.Dispose();
        emptyRemote?.Dispose();
    }

    /// <summary>"Billion laughs": nine levels of ten aliases each; expanding it would take gigabytes.</summary>
    private static string AliasBomb()
    {
        var text = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (var level = 1; level <= 9; level++)
            text.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n");
        return text.ToString();
    }

    [TestMethod]
    [DataRow("manifest path with ..", "GITOPS007")]
    [DataRow("manifest path escaping through a directory", "GITOPS007")]
    [DataRow("absolute manifest path", "GITOPS007")]
    [DataRow("drive-letter manifest path", "GITOPS007")]
    [DataRow("manifest path in .git", "GITOPS007")]
    [DataRow("manifest path in .GIT", "GITOPS007")]
    [DataRow("manifest is a symbolic link to /etc/passwd", "GITOPS050")]
    [DataRow("manifest path through a symbolic link to a directory outside", "GITOPS050")]
    [DataRow("image with an upper-case repository", "GITOPS041")]
    [DataRow("image tag with a bad character", "GITOPS041")]
    [DataRow("image tag of 129 characters", "GITOPS041")]
    [DataRow("image with a bad digest", "GITOPS041")]
    [DataRow("image with a leading space", "GITOPS041")]
    [DataRow("malformed YAML", "GITOPS042")]
    [DataRow("manifest not UTF-8", "GITOPS042")]
    [DataRow("YAML alias bomb", "GITOPS040")]
    [DataRow("manifest over the size limit", "GITOPS051")]
    [DataRow("image in a block scalar", "GITOPS044")]
    [DataRow("commit message template with an unknown token", "GITOPS009")]
    [DataRow("git:// config repository", "GITOPS025")]
    [DataRow("empty config repository URL", "GITOPS001")]
    [DataRow("config repository path that does not exist", "GITOPS024")]
    [DataRow("empty config repository", "GITOPS026")]
    [DataRow("branch that does not exist", "GITOPS022")]
    [DataRow("manifest that does not exist", "GITOPS006")]
    [DataRow("manifest directory without YAML files", "GITOPS017")]
    [DataRow("manifest glob that matches nothing", "GITOPS017")]
    [DataRow("manifest without the image", "GITOPS040")]
    [DataRow("no manifest", "GITOPS002")]
    public void Bad_input_fails_with_its_code_and_pushes_nothing(string input, string code)
    {
        string url = remote.Path, branch = "main", image = Image;
        string? template = null;
        string[] manifests = [ManifestPath];
        switch (input)
        {
            case "manifest path with ..": manifests = ["../outside.yaml"]; break;
            case "manifest path escaping through a directory": manifests = ["apps/../../outside.yaml"]; break;
            case "absolute manifest path": manifests = ["/etc/passwd"]; break;
            case "drive-letter manifest path": manifests = ["C:/config/deployment.yaml"]; break;
            case "manifest path in .git": manifests = [".git/config"]; break;
            case "manifest path in .GIT": manifests = ["apps/.GIT/config"]; break;
            case "manifest is a symbolic link to /etc/passwd": manifests = ["apps/link.yaml"]; break;
            case "manifest path through a symbolic link to a directory outside": manifests = ["apps/outside/etc/passwd"]; break;
            case "image with an upper-case repository": image = "registry.example.com/Team/App:v2"; break;
            case "image tag with a bad character": image = "registry.example.com/team/app:v2$"; break;
            case "image tag of 129 characters": image = "registry.example.com/team/app:" + new string('a', 129); break;
            case "image with a bad digest": image = "registry.example.com/team/app@sha256:12345"; break;
            case "image with a leading space": image = " registry.example.com/team/app:v2"; break;
            case "malformed YAML": manifests = ["apps/broken.yaml"]; break;
            case "manifest not UTF-8": manifests = ["apps/latin1.yaml"]; break;
            case "YAML alias bomb": manifests = ["apps/bomb.yaml"]; break;
            case "manifest over the size limit": manifests = ["apps/large.yaml"]; break;
            case "image in a block scalar": manifests = ["apps/block.yaml"]; break;
            case "commit message template with an unknown token": template = "Deploy {Nope}"; break;
            case "git:// config repository": url = "git://example.com/team/config.git"; break;
            case "empty config repository URL": url = " "; break;
            case "config repository path that does not exist": url = Path.Combine(remote.Root, "missing.git"); break;
            case "empty config repository": url = emptyRemote.Path; break;
            case "branch that does not exist": branch = "release"; break;
            case "manifest that does not exist": manifests = ["apps/app/missing.yaml"]; break;
            case "manifest directory without YAML files": manifests = ["docs"]; break;
            case "manifest glob that matches nothing": manifests = ["apps/*/kustomization.yaml"]; break;
            case "manifest without the image": manifests = ["apps/other/deployment.yaml"]; break;
            case "no manifest": manifests = []; break;
            default: Assert.Fail("unknown case " + input); break;
        }

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(url, branch, image, template, manifests));

        Assert.AreEqual(code, error.Code, error.Message);
        Assert.AreEqual(tip, remote.Tip("main"), "nothing pushed");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "temporary clones deleted");
        if (input == "manifest without the image")
            StringAssert.Contains(error.Message, "registry.example.com/team/other:1.0, registry.example.com/team/sidecar:2.0");
    }

    private static void Deploy(string url, string branch, string image, string? template, string[] manifests) =>
        new ConfigDeployer(null, NullBuildLog.Instance, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory, PushRetries = 0 })
            .Deploy(new DeploymentRequest(
                new DeploymentFacts(ImageReference.Parse(image), null, null, null, null),
                url, branch, manifests.Select(path => new ManifestTarget(path, new ManifestEditOptions())).ToList(), template,
                "Bot", "bot@example.com", DryRun: false));
}
