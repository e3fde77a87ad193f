using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GitOps.Build.ConfigRepo;
using GitOps.Build.AppRepo;
using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// Signed deploys through `dotnet publish -p:GitOpsPush=true` and the standalone GitOpsUpdateConfig target, against the
/// test git server: `git verify-commit` accepts the pushed commit, Argo CD's trailers name the app commit, and neither
/// the key nor its passphrase is in the console, the binary log, the commit or a leftover file.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[TestCategory("Registry")]
[TestCategory("Publish")]
public sealed class SignedDeployTests
{
    private const string Passphrase = "integration passphrase 7f3a";

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void A_signed_publish_pushes_a_commit_git_verify_commit_accepts_with_Argo_CD_trailers_and_no_secret_anywhere(string format)
    {
        var environment = TestEnvironment.Require();
        using var keys = new TestKeys();
        using var app = AppWorkspace.FromSample();
        ProcessRunner.Run("git", ["-C", app.Root, "remote", "add", "origin", "https://dev:app-secret@git.example.com/team/sample-app.git"]);
        using var config = TestConfigRepository.OnServer(environment);
        var (key, verify) = Key(keys, format);
        var temp = Directory.CreateTempSubdirectory("gitops-signing-tmp-").FullName;
        var binlog = Path.Combine(app.Root, "publish.binlog");
        try
        {
            var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?>
            {
                ["GITOPS_SIGNING_KEY"] = key,
                ["GITOPS_SIGNING_PASSPHRASE"] = Passphrase,
                ["TMPDIR"] = temp,
            }, $"-p:GitOpsCommitSigningFormat={format}", "-v:d", $"-bl:{binlog}");

            Assert.IsTrue(publish.Succeeded, publish.ToString());
            var verified = verify(config.GitDirectory, config.Head);
            Assert.IsTrue(verified.Succeeded, verified.ToString());

            var trailers = config.Trailers();
            Assert.AreEqual(app.Head, trailers["Argocd-reference-commit-sha"]);
            Assert.AreEqual("Dev <dev@example.com>", trailers["Argocd-reference-commit-author"]);
            Assert.AreEqual("Initial sample", trailers["Argocd-reference-commit-subject"]);
            StringAssert.StartsWith(JsonSerializer.Deserialize<string>(trailers["Argocd-reference-commit-body"]), "Workspace: gitops-app-");
            Assert.AreEqual("https://git.example.com/team/sample-app.git", trailers["Argocd-reference-commit-repourl"]);
            Assert.IsTrue(DateTimeOffset.TryParse(trailers["Argocd-reference-commit-date"], System.Globalization.CultureInfo.InvariantCulture, out _));

            var commit = ProcessRunner.Run("git", ["--git-dir", config.GitDirectory, "log", "-p", "--format=raw", "main"]).StandardOutput;
            StringAssert.Contains(RawBinaryLog(binlog), "GitOps: deployed", "the binary log is read");
            foreach (var (where, text) in new[] { ("console output", publish.ToString()), ("binary log", RawBinaryLog(binlog)), ("config commit", commit) })
            {
                Assert.IsFalse(text.Contains(Passphrase, StringComparison.Ordinal), $"the passphrase is in the {where}");
                Assert.IsFalse(text.Contains(KeyBody(key), StringComparison.Ordinal), $"the key is in the {where}");
            }
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(temp).Select(Path.GetFileName)
                .Where(name => name!.StartsWith("gitops-", StringComparison.Ordinal)).ToList(), "no key file, GNUPGHOME or clone left behind");
        }
        finally
        {
            TempDirectory.TryDelete(temp);
        }
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void The_standalone_target_pushes_a_signed_commit_with_the_app_commits_Argo_CD_trailers(string format)
    {
        var environment = TestEnvironment.Require();
        using var keys = new TestKeys();
        using var app = AppWorkspace.FromSample();
        var built = app.Head;
        app.Commit("Later work");
        using var config = TestConfigRepository.OnServer(environment);
        var (key, verify) = Key(keys, format);

        var result = app.Dotnet(new Dictionary<string, string?>
            {
                ["GITOPS_TOKEN"] = environment.GitToken,
                ["GITOPS_SIGNING_KEY"] = key,
                ["GITOPS_SIGNING_PASSPHRASE"] = Passphrase,
            },
            "msbuild", "-t:GitOpsUpdateConfig", $"-p:GitOpsImage=127.0.0.1:5000/team/sample-app:{built[..7]}",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsSourceCommit={built}", $"-p:GitOpsCommitSigningFormat={format}");

        Assert.IsTrue(result.Succeeded, result.ToString());
        var verified = verify(config.GitDirectory, config.Head);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        var trailers = config.Trailers();
        Assert.AreEqual(built, trailers["Argocd-reference-commit-sha"]);
        Assert.AreEqual("Initial sample", trailers["Argocd-reference-commit-subject"], "the named commit's, not HEAD's");
        Assert.AreEqual("Dev <dev@example.com>", trailers["Argocd-reference-commit-author"]);
        Assert.IsFalse(trailers.ContainsKey("Argocd-reference-commit-repourl"), "the app has no remote: nothing invented");
    }

    [TestMethod]
    public void A_signing_key_without_a_signing_format_warns_GITOPS070_and_commits_unsigned()
    {
        using var keys = new TestKeys();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.Local();
        var (key, verify) = Key(keys, "ssh");

        var result = app.Dotnet(new Dictionary<string, string?> { ["GITOPS_SIGNING_KEY"] = key, ["GITOPS_SIGNING_PASSPHRASE"] = Passphrase },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234", $"-p:GitOpsConfigRepository={config.Url}");

        Assert.IsTrue(result.Succeeded, result.ToString());
        StringAssert.Contains(result.StandardOutput, "warning GITOPS070");
        Assert.IsFalse(verify(config.GitDirectory, config.Head).Succeeded, "unsigned");
    }

    [TestMethod]
    public void GitOpsArgoCdTrailers_false_leaves_them_out()
    {
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.Local();

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsSourceCommit={app.Head}", "-p:GitOpsArgoCdTrailers=false");

        Assert.IsTrue(result.Succeeded, result.ToString());
        var trailers = config.Trailers();
        Assert.AreEqual(app.Head, trailers["GitOps-Source-Commit"]);
        Assert.IsFalse(trailers.Keys.Any(name => name.StartsWith("Argocd-", StringComparison.Ordinal)), string.Join(", ", trailers.Keys));
    }

    [TestMethod]
    public void Without_a_git_directory_only_the_sha_and_the_repository_URL_are_traced()
    {
        using var app = AppWorkspace.FromSample();
        var sha = app.Head;
        Directory.Delete(Path.Combine(app.Root, ".git"), recursive: true);
        using var config = TestConfigRepository.Local();

        var result = app.Dotnet(null, "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", $"-p:GitOpsSourceCommit={sha}",
            "-p:GitOpsSourceRepositoryUrl=https://ci-token@github.com/team/sample-app");

        Assert.IsTrue(result.Succeeded, result.ToString());
        var argo = config.Trailers().Where(trailer => trailer.Key.StartsWith("Argocd-", StringComparison.Ordinal)).ToDictionary();
        CollectionAssert.AreEquivalent(new[] { "Argocd-reference-commit-sha", "Argocd-reference-commit-repourl" }, argo.Keys.ToArray(), "nothing invented");
        Assert.AreEqual(sha, argo["Argocd-reference-commit-sha"]);
        Assert.AreEqual("https://github.com/team/sample-app", argo["Argocd-reference-commit-repourl"]);
    }

    [TestMethod]
    public void An_unknown_signing_format_fails_a_publish_with_GITOPS056_before_compiling_or_cloning()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;

        var publish = app.PublishWithGitOps(environment, config.Url, null, "-p:GitOpsCommitSigningFormat=x509");

        Assert.IsFalse(publish.Succeeded);
        StringAssert.Contains(publish.StandardOutput, "error GITOPS056");
        Assert.IsFalse(publish.StandardOutput.Contains("GitOps: cloned", StringComparison.Ordinal), publish.StandardOutput);
        Assert.IsFalse(Directory.Exists(Path.Combine(app.ProjectDirectory, "bin")), "not compiled");
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void A_wrong_passphrase_fails_the_standalone_target_with_GITOPS059_and_pushes_nothing()
    {
        var environment = TestEnvironment.Require();
        using var keys = new TestKeys();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var (key, _) = Key(keys, "openpgp");

        var result = app.Dotnet(new Dictionary<string, string?>
            {
                ["GITOPS_TOKEN"] = environment.GitToken,
                ["GITOPS_SIGNING_KEY"] = key,
                ["GITOPS_SIGNING_PASSPHRASE"] = "wrong " + Passphrase,
            },
            "msbuild", "-t:GitOpsUpdateConfig", "-p:GitOpsImage=127.0.0.1:5000/team/sample-app:abc1234",
            $"-p:GitOpsConfigRepository={config.Url}", "-p:GitOpsCommitSigningFormat=openpgp");

        Assert.IsFalse(result.Succeeded);
        StringAssert.Contains(result.StandardOutput, "error GITOPS059");
        Assert.IsFalse(result.ToString().Contains(Passphrase, StringComparison.Ordinal), "the passphrase is in the output");
        Assert.IsFalse(result.ToString().Contains("MSB4018", StringComparison.Ordinal), result.ToString());
        Assert.AreEqual(before, config.Head);
    }

    /// <summary>A passphrase-protected key as GITOPS_SIGNING_KEY holds it (the key's text), and the check that verifies its commits.</summary>
    private static (string Key, Func<string, string, ProcessResult> Verify) Key(TestKeys keys, string format)
    {
        if (format == "ssh")
        {
            var (path, publicKey) = keys.Ssh("deploy", Passphrase);
            var allowed = keys.AllowedSigners(publicKey);
            return (File.ReadAllText(path), (repository, commit) => TestKeys.VerifySsh(repository, commit, allowed));
        }

        var (_, secretKey, openPgpPublicKey) = keys.OpenPgp("deploy", Passphrase);
        var verifier = keys.Verifier(openPgpPublicKey);
        return (secretKey, (repository, commit) => TestKeys.VerifyOpenPgp(repository, commit, verifier));
    }

    // A line from the middle of the key: the armor lines alone say nothing secret.
    private static string KeyBody(string key) => key.ReplaceLineEndings("\n").Split('\n').Where(line => line.Length > 40).ElementAt(1);

    private static string RawBinaryLog(string binlog)
    {
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress))
            gzip.CopyTo(raw);
        return Encoding.UTF8.GetString(raw.ToArray());
    }
}
