using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true` to a config repository behind SSH (build/env/ssh-server.sh): a deploy key as CI
/// holds it (the key itself in GITOPS_SSH_KEY), and an scp-style address with key and known_hosts files. The key never
/// reaches the console, the binary log, the result file or a file left on disk.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[TestCategory("Registry")]
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

    [TestMethod]
    public void A_passphrase_protected_key_is_used_through_ssh_agent_and_refused_with_GITOPS082_without_it()
    {
        var environment = TestEnvironment.RequireSsh();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnSshServer(environment, scpStyle: false);
        var before = config.Head;
        var key = Path.Combine(app.Root, "protected_key");
        File.Copy(environment.SshDeployKey, key);
        Run("ssh-keygen", "-q", "-p", "-P", "", "-N", "correct horse", "-f", key);
        var socket = Path.Combine(app.Root, "agent.sock");
        using var agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var askPass = Path.Combine(app.Root, "askpass.sh");
            File.WriteAllText(askPass, "#!/bin/sh\necho 'correct horse'\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(askPass, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            WaitFor(() => File.Exists(socket));
            Run("env", $"SSH_AUTH_SOCK={socket}", $"SSH_ASKPASS={askPass}", "SSH_ASKPASS_REQUIRE=force", "ssh-add", "-q", key);
            var common = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = null, ["GITOPS_SSH_KNOWN_HOSTS"] = environment.SshKnownHosts };

            var withoutAgent = Deploy(app, config, new(common) { ["GITOPS_SSH_KEY"] = key, ["SSH_AUTH_SOCK"] = null }, "agent1");
            var withAgent = Deploy(app, config, new(common) { ["GITOPS_SSH_KEY"] = null, ["SSH_AUTH_SOCK"] = socket }, "agent2");

            StringAssert.Contains(withoutAgent.StandardOutput, "error GITOPS082", "batch mode: no prompt for the passphrase");
            Assert.IsTrue(withAgent.Succeeded, withAgent.ToString());
            Assert.AreEqual(before, config.Parent(), "only the deploy through the agent landed");
        }
        finally
        {
            agent.Kill();
        }
    }

    /// <summary>The standalone target: a deploy over SSH without building the app.</summary>
    private static ProcessResult Deploy(AppWorkspace app, TestConfigRepository config, Dictionary<string, string?> environment, string tag) =>
        app.Dotnet(environment, "msbuild", "-t:GitOpsUpdateConfig", "-nologo", $"-p:GitOpsImage=127.0.0.1:5000/team/sample-app:{tag}",
            $"-p:GitOpsConfigRepository={config.Url}");

    private static void Run(string program, params string[] arguments)
    {
        var result = ProcessRunner.Run(program, arguments);
        Assert.IsTrue(result.Succeeded, $"{program}: {result}");
    }

    private static void WaitFor(Func<bool> condition)
    {
        for (var clock = Stopwatch.StartNew(); !condition(); Thread.Sleep(50))
            Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(10), "ssh-agent did not start");
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
