using System.IO.Compression;
using System.Text;
using GitOps.Build.Git;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true` to a config repository behind SSH (build/env/ssh-server.sh): a deploy key as CI
/// holds it (the key itself in GITOPS_SSH_KEY), and an scp-style address with key and known_hosts files. The key never
/// reaches the console, the binary log, the result file or a file left on disk.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class SshPublishTests
{
    private const string Repository = "team/sample-app";

    [TestMethod]
    public void Publish_deploys_over_ssh_with_the_deploy_key_given_as_content_and_leaves_no_key_anywhere()
    {
        var environment = TestEnvironment.RequireSsh();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnSshServer(environment, scpStyle: false);
        var key = File.ReadAllText(environment.SshDeployKey);
        var keyBody = key.Split('\n')[1].Trim();
        var before = config.Head;
        var image = $"{environment.Registry}/{Repository}:{app.Head[..7]}";
        var temp = Directory.CreateTempSubdirectory("gitops-ssh-tmp-").FullName;
        var binlog = Path.Combine(app.Root, "publish.binlog");
        try
        {
            var publish = app.PublishWithGitOps(environment, config.Url,
                new Dictionary<string, string?>
                {
                    ["GITOPS_TOKEN"] = null,
                    ["GITOPS_SSH_KEY"] = key,
                    ["GITOPS_SSH_KNOWN_HOSTS"] = File.ReadAllText(environment.SshKnownHosts),
                    ["TMPDIR"] = temp,
                },
                $"-bl:{binlog}");

            Assert.IsTrue(publish.Succeeded, publish.ToString());
            StringAssert.Contains(publish.StandardOutput, $"GitOps: deployed {image}");
            Assert.AreEqual(before, config.Parent(), "one commit on top of the previous tip");
            Assert.AreEqual(image, config.Trailers()["GitOps-Image"]);
            StringAssert.Contains(Encoding.UTF8.GetString(config.ReadFile(TestConfigRepository.DeploymentPath)), image);

            AssertAbsent(keyBody, publish.ToString(), "console output");
            AssertAbsent(keyBody, RawBinaryLog(binlog), "binary log");
            var result = Directory.EnumerateFiles(app.ProjectDirectory, "gitops-result.json", SearchOption.AllDirectories).Single();
            AssertAbsent(keyBody, File.ReadAllText(result), "result file");
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(temp, "gitops-*"), "no key directory or clone left in TMPDIR");
            foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories))
                AssertAbsent(keyBody, File.ReadAllText(file), $"file {file} left in TMPDIR");
        }
        finally
        {
            TempDirectory.TryDelete(temp);
        }
    }

    [TestMethod]
    public void Publish_deploys_to_an_scp_style_address_with_key_and_known_hosts_files()
    {
        var environment = TestEnvironment.RequireSsh();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnSshServer(environment, scpStyle: true);
        var before = config.Head;

        var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?>
        {
            ["GITOPS_TOKEN"] = null,
            ["GITOPS_SSH_KEY"] = environment.SshDeployKey,
            ["GITOPS_SSH_KNOWN_HOSTS"] = environment.SshKnownHosts,
        });

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, $"to {config.Url}");
        Assert.AreEqual(before, config.Parent());
        Assert.IsTrue(File.Exists(environment.SshDeployKey), "a key given by path is the user's: never deleted");
    }

    [TestMethod]
    public void A_read_only_deploy_key_fails_the_publish_with_GITOPS084_and_pushes_nothing()
    {
        var environment = TestEnvironment.RequireSsh();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnSshServer(environment, scpStyle: false);
        var before = config.Head;

        var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?>
        {
            ["GITOPS_TOKEN"] = null,
            ["GITOPS_SSH_KEY"] = environment.SshReadonlyKey,
            ["GITOPS_SSH_KNOWN_HOSTS"] = environment.SshKnownHosts,
        });

        Assert.AreNotEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS084");
        StringAssert.Contains(publish.StandardOutput, "marked as read only");
        Assert.IsFalse(publish.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), "no stack trace");
        Assert.AreEqual(before, config.Head);
    }

    private static string RawBinaryLog(string binlog)
    {
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
            gzip.CopyTo(raw);
        return Encoding.UTF8.GetString(raw.ToArray());
    }

    private static void AssertAbsent(string secret, string text, string where) =>
        Assert.IsFalse(text.Contains(secret, StringComparison.Ordinal), $"the private key is in the {where}");
}
