using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.ConfigRepo;
using GitOps.Build.AppRepo;
using GitOps.Build.Signing;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.Signing;

/// <summary>
/// Deploy commits signed with real keys through the real tools, checked with `git verify-commit`: SSH and OpenPGP, the
/// first commit, a re-commit after a lost push race, a push branch, and a push over HTTP to the test server.
/// </summary>
[TestClass]
public sealed class SignedCommitTests
{
    private readonly RecordingLog log = new();
    private readonly TestKeys keys = new();

    [TestCleanup]
    public void DeleteKeys() => keys.Dispose();

    [TestMethod]
    public void An_ssh_signed_deploy_commit_is_accepted_by_git_verify_commit_and_refused_against_another_key()
    {
        using var remote = TwoApps.Create();
        var (key, publicKey) = keys.Ssh("deploy");
        var (_, otherPublicKey) = keys.Ssh("other");

        var result = Deploy(remote, Signing("ssh", new() { [CommitSigning.KeyVariable] = key }), TwoApps.DeployWeb());

        Assert.IsTrue(result.Committed);
        var verified = TestKeys.VerifySsh(remote.Path, result.CommitSha!, keys.AllowedSigners(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        StringAssert.Contains(verified.StandardError, "Good \"git\" signature");
        var wrongKey = TestKeys.VerifySsh(remote.Path, result.CommitSha!, keys.AllowedSigners(otherPublicKey));
        Assert.IsFalse(wrongKey.Succeeded, "a commit signed with another key must fail verification: " + wrongKey);
    }

    [TestMethod]
    public void An_unsigned_deploy_commit_fails_git_verify_commit()
    {
        using var remote = TwoApps.Create();
        var (_, publicKey) = keys.Ssh("deploy");

        var result = Deploy(remote, null, TwoApps.DeployWeb());

        Assert.IsFalse(TestKeys.VerifySsh(remote.Path, result.CommitSha!, keys.AllowedSigners(publicKey)).Succeeded);
    }

    [TestMethod]
    public void An_ssh_key_given_as_content_with_a_passphrase_signs_and_leaves_no_file_behind()
    {
        using var remote = TwoApps.Create();
        var (key, publicKey) = keys.Ssh("protected", passphrase: "correct horse");

        var result = Deploy(remote, Signing("ssh", new()
        {
            [CommitSigning.KeyVariable] = File.ReadAllText(key),
            [CommitSigning.PassphraseVariable] = "correct horse",
        }), TwoApps.DeployWeb());

        var verified = TestKeys.VerifySsh(remote.Path, result.CommitSha!, keys.AllowedSigners(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(remote.WorkDirectory), "no key file, no clone left");
    }

    [TestMethod]
    public void An_armored_openpgp_key_from_the_environment_signs_and_its_temporary_GNUPGHOME_is_deleted_with_its_agent()
    {
        using var remote = TwoApps.Create();
        var (_, secretKey, publicKey) = keys.OpenPgp("deploy");
        var (_, _, otherPublicKey) = keys.OpenPgp("other");

        var result = Deploy(remote, Signing("openpgp", new() { [CommitSigning.KeyVariable] = secretKey }), TwoApps.DeployWeb());

        var verified = TestKeys.VerifyOpenPgp(remote.Path, result.CommitSha!, keys.Verifier(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        StringAssert.Contains(verified.StandardError, "Good signature");
        Assert.IsFalse(TestKeys.VerifyOpenPgp(remote.Path, result.CommitSha!, keys.Verifier(otherPublicKey)).Succeeded, "another key must not verify it");
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(remote.WorkDirectory), "the temporary GNUPGHOME is deleted");
        var agents = Infrastructure.ProcessRunner.Run("ps", ["-eo", "args"]).StandardOutput;
        Assert.IsFalse(agents.Contains(remote.WorkDirectory, StringComparison.Ordinal), "a gpg-agent of the temporary home still runs:\n" + agents);
    }

    [TestMethod]
    public void An_openpgp_key_with_a_passphrase_signs_with_GITOPS_SIGNING_PASSPHRASE()
    {
        using var remote = TwoApps.Create();
        var (_, secretKey, publicKey) = keys.OpenPgp("protected", passphrase: "s3cret phrase");

        var result = Deploy(remote, Signing("openpgp", new()
        {
            [CommitSigning.KeyVariable] = secretKey,
            [CommitSigning.PassphraseVariable] = "s3cret phrase",
        }), TwoApps.DeployWeb());

        var verified = TestKeys.VerifyOpenPgp(remote.Path, result.CommitSha!, keys.Verifier(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
    }

    [TestMethod]
    public void An_openpgp_key_id_signs_from_the_build_users_keyring()
    {
        using var remote = TwoApps.Create();
        var (home, _, publicKey) = keys.OpenPgp("keyring");

        var result = Deploy(remote, Signing("openpgp", new() { ["GNUPGHOME"] = home }, keyId: TestKeys.Email), TwoApps.DeployWeb());

        var verified = TestKeys.VerifyOpenPgp(remote.Path, result.CommitSha!, keys.Verifier(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void The_commit_made_after_a_lost_push_race_is_signed_too(string format)
    {
        using var remote = TwoApps.Create();
        var (signing, verify) = keys.SigningPair(format);
        var change = TwoApps.DeployWeb(application =>
        {
            if (application == 1)
                TwoApps.DeployApi(remote, "ddd4444");
        });

        var result = Deploy(remote, signing, change);

        Assert.AreEqual(2, result.Attempts, "the first push lost the race");
        Assert.AreEqual(result.CommitSha, remote.Tip("main"));
        var verified = verify(remote.Path, result.CommitSha!);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
    }

    [TestMethod]
    public void A_push_branch_commit_is_signed()
    {
        using var remote = TwoApps.Create();
        var (signing, verify) = keys.SigningPair("ssh");

        var result = Deploy(remote, signing, TwoApps.DeployWeb(), pushBranch: "deploy/web-bbb2222");

        Assert.AreEqual("deploy/web-bbb2222", result.Branch);
        Assert.AreEqual(result.CommitSha, remote.Tip("deploy/web-bbb2222"));
        var verified = verify(remote.Path, result.CommitSha!);
        Assert.IsTrue(verified.Succeeded, verified.ToString());
    }

    [TestMethod]
    [TestCategory("GitServer")]
    public void A_commit_pushed_over_HTTP_is_signed_on_the_server()
    {
        var environment = TestEnvironment.Require();
        var name = "signing-tests/" + Path.GetFileName(TempDirectory.NewPath(null, "config-"));
        var seed = Path.Combine(keys.Root, "seed");
        Directory.CreateDirectory(Path.Combine(seed, "apps", "web"));
        File.WriteAllText(Path.Combine(seed, TwoApps.WebManifest), "image: registry.example.com/web:aaa1111\n");
        var url = environment.CreateBareRepository(name, seed);
        var serverRepository = Path.Combine(environment.GitProjectRoot, name + ".git");
        try
        {
            var (signing, verify) = keys.SigningPair("openpgp");
            using var signer = signing.CreateSigner(TimeSpan.FromMinutes(1), keys.Root);
            var writer = new ConfigRepositoryWriter(new GitCredentials(environment.GitUsername, environment.GitToken), log,
                new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = keys.Root, Signer = signer }, Backoff.None);

            var result = writer.Commit(GitOps.Build.Tests.ConfigRepo.ConfigRepositoryWriterTests.Request(url), TwoApps.DeployWeb());

            Assert.IsTrue(result.Committed);
            var verified = verify(serverRepository, result.CommitSha!);
            Assert.IsTrue(verified.Succeeded, verified.ToString());
        }
        finally
        {
            TempDirectory.TryDelete(serverRepository);
        }
    }

    /// <summary>The settings as the task reads them, from these variables (PATH and the rest from the real environment).</summary>
    internal static CommitSigning Signing(string format, Dictionary<string, string> variables, string? keyId = null) =>
        CommitSigning.Read(format, keyId, name => variables.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name))!;

    private ConfigCommitResult Deploy(ConfigRemote remote, CommitSigning? signing, FunctionChange change, string? pushBranch = null)
    {
        using var signer = signing?.CreateSigner(TimeSpan.FromMinutes(1), remote.WorkDirectory);
        var writer = new ConfigRepositoryWriter(null, log, new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, Signer = signer }, Backoff.None);
        var result = writer.Commit(GitOps.Build.Tests.ConfigRepo.ConfigRepositoryWriterTests.Request(remote.Path) with { PushBranch = pushBranch }, change);
        Assert.IsTrue(result.Committed);
        return result;
    }
}
