using System.IO.Compression;
using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// Tokens never reach the console, the binary log, the config commit or a leftover clone, for a deploy that works
/// and one that fails; credentials written into the config URL are redacted wherever GitOps.Build shows it.
/// (The temporary clone's Git config is checked in ConfigRepositoryWriterTests and ConfigRepositoryWriterHttpTests.)
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
public sealed class SecretsTests
{
    private static string Project => AppWorkspace.ConsoleProject(AppWorkspace.ManifestPathProperty);

    [TestMethod]
    public void Tokens_stay_out_of_console_binary_log_commit_and_temporary_files()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(Project);
        using var config = TestConfigRepository.OnServer(environment);
        var wrongToken = "wrong-token-" + Guid.NewGuid().ToString("N");
        var temp = Directory.CreateTempSubdirectory("gitops-secrets-tmp-").FullName;
        try
        {
            var good = Deploy(app, config.Url, "good", environment.GitToken, temp);
            Assert.IsTrue(good.Result.Succeeded, good.Result.ToString());
            var bad = Deploy(app, config.Url, "bad", wrongToken, temp);
            StringAssert.Contains(bad.Result.StandardOutput, "error GITOPS020");

            foreach (var (token, run) in new[] { (environment.GitToken, good), (wrongToken, good), (wrongToken, bad), (environment.GitToken, bad) })
            {
                AssertAbsent(token, run.Result.ToString(), "console output");
                AssertAbsent(token, run.ReplayedLog, "replayed binary log");
                AssertAbsent(token, run.RawLog, "decompressed binary log");
            }
            StringAssert.Contains(good.ReplayedLog, "GitOps: deployed", "the replay is the real log");
            var commit = ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "log", "-p", "--format=raw", "main"]).StandardOutput;
            AssertAbsent(environment.GitToken, commit, "config commit");
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetDirectories(temp).Select(Path.GetFileName).Where(name => name!.StartsWith("gitops-config-", StringComparison.Ordinal)).ToList(),
                "temporary clones deleted, after success and failure");
        }
        finally
        {
            TempDirectory.TryDelete(temp);
        }
    }

    [TestMethod]
    public void Credentials_in_the_config_URL_are_redacted_in_every_line_and_error()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(Project);
        using var config = TestConfigRepository.OnServer(environment);
        string WithUserInfo(string password) =>
            config.Url.Replace("http://", $"http://{environment.GitUsername}:{Uri.EscapeDataString(password)}@", StringComparison.Ordinal);
        var wrongPassword = "url-secret-" + Guid.NewGuid().ToString("N");
        var before = config.Head;

        var bad = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-v:n", "-nologo",
            "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:url1", $"-p:GitOpsConfigRepository={WithUserInfo(wrongPassword)}");
        var good = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-v:n", "-nologo",
            "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:url2", $"-p:GitOpsConfigRepository={WithUserInfo(environment.GitToken)}");

        StringAssert.Contains(bad.StandardOutput, "error GITOPS020");
        StringAssert.Contains(bad.StandardOutput, config.Url, "the error names the repository, without credentials");
        Assert.AreEqual(before, config.Parent(), "the failed deploy pushed nothing; the good one one commit");
        Assert.IsTrue(good.Succeeded, good.ToString());
        StringAssert.Contains(good.StandardOutput, $"GitOps: deployed 127.0.0.1:5000/team/sample-app:url2 to {config.Url}");
        StringAssert.Contains(good.StandardOutput, $"warning GITOPS063: GitOpsConfigRepository carries a password or token in its URL ({config.Url})");
        // Normal verbosity: every GitOps line and error, but not MSBuild's echo of task parameters, which shows any -p value as given.
        foreach (var output in new[] { bad.ToString(), good.ToString() })
        {
            AssertAbsent(wrongPassword, output, "console output");
            AssertAbsent(environment.GitToken, output, "console output");
        }
    }

    [TestMethod]
    public void The_proxy_password_stays_out_of_console_binary_log_and_result_file()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.WithProject(Project);
        using var config = TestConfigRepository.OnServer(environment);
        var temp = Directory.CreateTempSubdirectory("gitops-secrets-tmp-").FullName;
        try
        {
            var run = Deploy(app, config.Url, "proxied", environment.GitToken, temp,
                new Dictionary<string, string?> { ["http_proxy"] = environment.ProxyUrlWithCredentials });

            Assert.IsTrue(run.Result.Succeeded, run.Result.ToString());
            Assert.IsTrue(File.ReadAllLines(environment.ProxyLog).Any(line => line.Contains(Path.GetFileName(config.Url), StringComparison.Ordinal)),
                "the deploy went through the proxy");
            AssertAbsent(environment.ProxyPassword, run.Result.ToString(), "console output");
            AssertAbsent(environment.ProxyPassword, run.ReplayedLog, "replayed binary log");
            AssertAbsent(environment.ProxyPassword, run.RawLog, "decompressed binary log");
            foreach (var result in Directory.GetFiles(app.Root, "gitops-result.json", SearchOption.AllDirectories))
                AssertAbsent(environment.ProxyPassword, File.ReadAllText(result), "result file");
            AssertAbsent(environment.ProxyPassword, ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "log", "-p", "--format=raw", "main"]).StandardOutput,
                "config commit");
        }
        finally
        {
            TempDirectory.TryDelete(temp);
        }
    }

    private static (ProcessResult Result, string ReplayedLog, string RawLog) Deploy(AppWorkspace app, string url, string name, string token, string temp,
        IReadOnlyDictionary<string, string?>? more = null)
    {
        var binlog = Path.Combine(app.Root, name + ".binlog");
        var variables = new Dictionary<string, string?> { ["GITOPS_TOKEN"] = token, ["TMPDIR"] = temp };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) variables[key] = value;
        var result = app.Dotnet(variables,
            "msbuild", "-t:GitOpsUpdateConfig", "-v:d", "-nologo", $"-bl:{binlog}",
            $"-p:GitOpsImage=127.0.0.1:5000/team/sample-app:{name}", $"-p:GitOpsConfigRepository={url}");

        var replayed = Path.Combine(app.Root, name + ".log");
        var replay = app.Dotnet(null, "msbuild", binlog, $"-flp:logfile={replayed};verbosity=diagnostic", "-noconlog");
        Assert.IsTrue(replay.Succeeded || File.Exists(replayed), replay.ToString());

        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
            gzip.CopyTo(raw);
        return (result, File.ReadAllText(replayed), Encoding.UTF8.GetString(raw.ToArray()));
    }

    private static void AssertAbsent(string token, string text, string where) =>
        Assert.IsFalse(text.Contains(token, StringComparison.Ordinal), $"a token is in the {where}");
}
