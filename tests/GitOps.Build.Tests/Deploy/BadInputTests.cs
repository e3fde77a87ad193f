using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

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

    // ---- Property values that reached libgit2 or the commit unchecked (issue 13, items 6-8) ----

    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string SourceCommit = "0123456789abcdef0123456789abcdef01234567";

    [TestMethod]
    [DataRow("push branch HEAD", "GITOPS018")]
    [DataRow("push branch starting with -", "GITOPS018")]
    [DataRow("push branch with ..", "GITOPS018")]
    [DataRow("push branch ending in .lock", "GITOPS018")]
    [DataRow("push branch with a space", "GITOPS018")]
    [DataRow("push branch with @{", "GITOPS018")]
    [DataRow("push branch ending in /", "GITOPS018")]
    [DataRow("push branch with a NUL", "GITOPS035")]
    [DataRow("config branch ../x", "GITOPS039")]
    [DataRow("config branch main~1", "GITOPS039")]
    [DataRow("config branch HEAD", "GITOPS039")]
    [DataRow("config branch -x", "GITOPS039")]
    [DataRow("config branch with a colon", "GITOPS039")]
    [DataRow("digest not-a-digest", "GITOPS041")]
    [DataRow("sha256 digest too short", "GITOPS041")]
    [DataRow("sha256 digest in upper case", "GITOPS041")]
    [DataRow("sha512 digest of 64 digits", "GITOPS041")]
    [DataRow("source commit of 6 digits", "GITOPS013")]
    [DataRow("source commit not hexadecimal", "GITOPS013")]
    [DataRow("source commit of 41 digits", "GITOPS013")]
    [DataRow("NUL in the commit message", "GITOPS035")]
    [DataRow("escape character in the commit message", "GITOPS035")]
    [DataRow("blank author name", "GITOPS036")]
    [DataRow("author name with <", "GITOPS036")]
    [DataRow("author name with a line break", "GITOPS036")]
    [DataRow("author e-mail with >", "GITOPS036")]
    [DataRow("empty author e-mail", "GITOPS036")]
    [DataRow("NUL in the config repository URL", "GITOPS035")]
    [DataRow("NUL in the manifest path", "GITOPS035")]
    [DataRow("line break in the source repository URL", "GITOPS035")]
    public void A_bad_property_value_fails_with_a_code_naming_it_and_pushes_nothing(string input, string code)
    {
        string url = remote.Path, branch = "main", name = "Bot", email = "bot@example.com", manifest = ManifestPath;
        string? pushBranch = null, template = null, digest = Digest, commit = SourceCommit, sourceRepository = "https://git.example.com/team/app.git";
        var property = "";
        switch (input)
        {
            case "push branch HEAD": pushBranch = "HEAD"; property = "GitOpsConfigPushBranch"; break;
            case "push branch starting with -": pushBranch = "-x"; property = "GitOpsConfigPushBranch"; break;
            case "push branch with ..": pushBranch = "deploy/..{Tag}"; property = "GitOpsConfigPushBranch"; break;
            case "push branch ending in .lock": pushBranch = "deploy/{Tag}.lock"; property = "GitOpsConfigPushBranch"; break;
            case "push branch with a space": pushBranch = "deploy {Tag}"; property = "GitOpsConfigPushBranch"; break;
            case "push branch with @{": pushBranch = "deploy@{{1}}"; property = "GitOpsConfigPushBranch"; break;
            case "push branch ending in /": pushBranch = "deploy/"; property = "GitOpsConfigPushBranch"; break;
            case "push branch with a NUL": pushBranch = "deploy/\0x"; property = "GitOpsConfigPushBranch"; break;
            case "config branch ../x": branch = "../x"; property = "GitOpsConfigBranch"; break;
            case "config branch main~1": branch = "main~1"; property = "GitOpsConfigBranch"; break;
            case "config branch HEAD": branch = "HEAD"; property = "GitOpsConfigBranch"; break;
            case "config branch -x": branch = "-x"; property = "GitOpsConfigBranch"; break;
            case "config branch with a colon": branch = "main:x"; property = "GitOpsConfigBranch"; break;
            case "digest not-a-digest": digest = "not-a-digest"; property = "GitOpsImageDigest"; break;
            case "sha256 digest too short": digest = "sha256:0123456789abcdef"; property = "GitOpsImageDigest"; break;
            case "sha256 digest in upper case": digest = Digest.ToUpperInvariant(); property = "GitOpsImageDigest"; break;
            case "sha512 digest of 64 digits": digest = Digest.Replace("sha256", "sha512"); property = "GitOpsImageDigest"; break;
            case "source commit of 6 digits": commit = "012345"; property = "GitOpsSourceCommit"; break;
            case "source commit not hexadecimal": commit = "not-a-commit"; property = "GitOpsSourceCommit"; break;
            case "source commit of 41 digits": commit = SourceCommit + "0"; property = "GitOpsSourceCommit"; break;
            case "NUL in the commit message": template = "Deploy\0 {Tag}"; property = "GitOpsCommitMessage"; break;
            case "escape character in the commit message": template = "Deploy \u001b[31m{Tag}"; property = "GitOpsCommitMessage"; break;
            case "blank author name": name = " "; property = "GitOpsCommitAuthorName"; break;
            case "author name with <": name = "Bot <evil@example.com>"; property = "GitOpsCommitAuthorName"; break;
            case "author name with a line break": name = "Bot\ncommitter Evil"; property = "GitOpsCommitAuthorName"; break;
            case "author e-mail with >": email = "bot@example.com> x"; property = "GitOpsCommitAuthorEmail"; break;
            case "empty author e-mail": email = ""; property = "GitOpsCommitAuthorEmail"; break;
            case "NUL in the config repository URL": url = remote.Path + "\0.other"; property = "GitOpsConfigRepository"; break;
            case "NUL in the manifest path": manifest = ManifestPath + "\0.txt"; property = "GitOpsManifestPath"; break;
            case "line break in the source repository URL": sourceRepository += "\nGitOps-Image: evil"; property = "GitOpsSourceRepositoryUrl"; break;
            default: Assert.Fail("unknown case " + input); break;
        }

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            new ConfigDeployer(null, NullBuildLog.Instance, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, PushRetries = 0 })
                .Deploy(new DeploymentRequest(
                    new DeploymentFacts(ImageReference.Parse(Image), digest, commit, sourceRepository, "App.csproj"),
                    ConfigRepositoryLocation.Parse(url), branch, [new ManifestTarget(manifest, new ManifestEditOptions())], template, name, email, DryRun: false, pushBranch)));

        Assert.AreEqual(code, error.Code, error.Message);
        StringAssert.Contains(error.Message, property);
        Assert.IsFalse(error.Message.Any(c => char.IsControl(c)), "the message itself has no control character: " + error.Message);
        Assert.AreEqual(tip, remote.Tip("main"), "nothing pushed");
        Assert.AreEqual("refs/heads/main", remote.Git("for-each-ref", "--format=%(refname)"), "no branch created");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(remote.WorkDirectory).Length, "nothing cloned");
    }

    private static void Deploy(string url, string branch, string image, string? template, string[] manifests) =>
        new ConfigDeployer(null, NullBuildLog.Instance, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, PushRetries = 0 })
            .Deploy(new DeploymentRequest(
                new DeploymentFacts(ImageReference.Parse(image), null, null, null, null),
                ConfigRepositoryLocation.Parse(url), branch, manifests.Select(path => new ManifestTarget(path, new ManifestEditOptions())).ToList(), template,
                "Bot", "bot@example.com", DryRun: false));

    // ---- Hostile YAML (issue 13, items 3 and 4): files that overflowed the stack or were edited despite a repeated
    // key. Each row gets its own config repository holding a good manifest beside the hostile one, deployed through
    // the directory, so one bad file fails the whole deploy naming that file.

    /// <summary>A hostile manifest, put beside a good one in apps/hostile/.</summary>
    private static string HostileYaml(string input)
    {
        string Deployment(string extra) => TestManifest.Deployment("registry.example.com/team/app:v1") + extra;
        var chain = new StringBuilder("x-chain:\n  - &c0 [registry.example.com/team/app:v1]\n");
        for (var i = 1; i <= 20_000; i++)
            chain.Append($"  - &c{i} [*c{i - 1}]\n");
        return input switch
        {
            "List whose items alias the List itself" => "--- &list\napiVersion: v1\nkind: List\nitems:\n  - *list\n",
            "sequence holding an alias to itself" => "apiVersion: v1\nkind: List\nitems: &a [ *a ]\n",
            "Helm values mapping holding an alias to itself" => "image: &image\n  repository: registry.example.com/team/app\n  tag: v1\n  self: *image\n",
            "flow sequences nested 50,000 deep" => Deployment("extra: " + new string('[', 50_000) + new string(']', 50_000) + "\n"),
            "flow mappings nested 25,000 deep" => Deployment("extra: " + string.Concat(Enumerable.Repeat("{a: ", 25_000)) + "x" + new string('}', 25_000) + "\n"),
            "chain of 20,000 aliases each one level deeper" =>
                "apiVersion: argoproj.io/v1alpha1\nkind: Application\n" + chain + "spec:\n  source:\n    helm:\n      valuesObject: {image: *c20000}\n",
            "container with two image keys" => TestManifest.Deployment("registry.example.com/team/app:v1\n          image: registry.example.com/team/app:v0"),
            "Helm values with two tag keys" => "image:\n  repository: registry.example.com/team/app\n  tag: v1\n  tag: v0\n",
            "repeated key in an unrelated mapping" => Deployment("extra: {a: 1, a: 2}\n"),
            "two merge keys" => Deployment("defaults: &defaults {a: 1}\nextra:\n  <<: *defaults\n  <<: *defaults\n"),
            "kustomization with a repeated newTag" => "images:\n  - name: registry.example.com/team/app\n    newTag: v1\n    newTag: v0\n",
            _ => throw new ArgumentException(input),
        };
    }

    [TestMethod]
    [DataRow("List whose items alias the List itself")]
    [DataRow("sequence holding an alias to itself")]
    [DataRow("Helm values mapping holding an alias to itself")]
    [DataRow("flow sequences nested 50,000 deep")]
    [DataRow("flow mappings nested 25,000 deep")]
    [DataRow("chain of 20,000 aliases each one level deeper")]
    [DataRow("container with two image keys")]
    [DataRow("Helm values with two tag keys")]
    [DataRow("repeated key in an unrelated mapping")]
    [DataRow("two merge keys")]
    [DataRow("kustomization with a repeated newTag")]
    public void Hostile_YAML_in_a_manifest_directory_fails_with_GITOPS042_naming_the_file_and_pushes_nothing(string input)
    {
        var file = input.StartsWith("kustomization", StringComparison.Ordinal) ? "apps/hostile/kustomization.yaml" : "apps/hostile/hostile.yaml";
        using var hostileRemote = ConfigRemote.Create("main", new Dictionary<string, string>
        {
            ["apps/hostile/deployment.yaml"] = TestManifest.Deployment("registry.example.com/team/app:v1"),
            [file] = HostileYaml(input),
        });
        var hostileTip = hostileRemote.Tip("main");
        var deployer = new ConfigDeployer(null, NullBuildLog.Instance, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = hostileRemote.WorkDirectory, PushRetries = 0 });

        var error = Assert.ThrowsExactly<GitOpsException>(() => deployer.Deploy(new DeploymentRequest(
            new DeploymentFacts(ImageReference.Parse(Image), null, null, null, null), ConfigRepositoryLocation.Parse(hostileRemote.Path), "main",
            [new ManifestTarget("apps/hostile", new ManifestEditOptions())], null, "Bot", "bot@example.com", DryRun: false)));

        Assert.AreEqual("GITOPS042", error.Code, error.Message);
        StringAssert.Contains(error.Message, file);
        Assert.AreEqual(hostileTip, hostileRemote.Tip("main"), "nothing pushed");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(hostileRemote.WorkDirectory).Length, "temporary clones deleted");
    }
}
