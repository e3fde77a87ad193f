using GitOps.Build.Tests.ConfigRepo;
using System.Diagnostics;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.AppRepo;
using GitOps.Build.Signing;

namespace GitOps.Build.Tests.Signing;

/// <summary>
/// Every way signing can fail is a coded error, raised before anything is pushed, and no message holds the key or the
/// passphrase. The tools are the real ones; a machine without them is simulated with an empty PATH.
/// </summary>
[TestClass]
public sealed class SigningFailureTests
{
    private readonly TestKeys keys = new();

    [TestCleanup]
    public void DeleteKeys() => keys.Dispose();

    [TestMethod]
    public void An_unknown_signing_format_is_GITOPS056()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => SignedCommitTests.Signing("x509", []));

        Assert.AreEqual(Errors.SigningFormatUnknown.Code, error.Code);
        StringAssert.Contains(error.Message, "GitOpsCommitSigningFormat is 'x509'");
    }

    [TestMethod]
    public void No_signing_format_means_no_signing()
    {
        Assert.IsNull(CommitSigning.Read(" ", null, _ => null));
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void Signing_without_a_key_is_GITOPS057(string format)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => CommitSigning.Read(format, null, _ => null));

        Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code);
        StringAssert.Contains(error.Message, CommitSigning.KeyVariable);
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void A_key_variable_that_is_neither_a_readable_file_nor_a_key_is_GITOPS057_and_is_not_echoed(string format)
    {
        const string encodedKey = "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0K";

        var error = Assert.ThrowsExactly<GitOpsException>(() => SignedCommitTests.Signing(format, new() { [CommitSigning.KeyVariable] = encodedKey }));

        Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code);
        Assert.IsFalse(error.Message.Contains(encodedKey, StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    [DataRow("ssh", "ssh-keygen")]
    [DataRow("openpgp", "gpg")]
    public void Without_the_signing_tool_on_PATH_signing_is_GITOPS058(string format, string tool)
    {
        var (key, _) = keys.Ssh("deploy");
        var empty = Path.Combine(keys.Root, "empty-bin");
        Directory.CreateDirectory(empty);

        var error = Assert.ThrowsExactly<GitOpsException>(() => SignedCommitTests.Signing(format, new()
        {
            [CommitSigning.KeyVariable] = key,
            ["PATH"] = empty,
        }));

        Assert.AreEqual(Errors.SigningToolMissing.Code, error.Code);
        StringAssert.Contains(error.Message, $"'{tool}' was not found on PATH");
    }

    [TestMethod]
    public void A_key_ssh_keygen_cannot_load_is_GITOPS057_and_nothing_is_pushed()
    {
        var notAKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n";

        var (error, remote, before) = DeployFails(SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = notAKey }));

        using (remote)
        {
            Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code, error.Message);
            Assert.AreEqual(before, remote.Tip("main"), "nothing pushed");
            Assert.IsFalse(error.Message.Contains("bm90IGEga2V5", StringComparison.Ordinal), error.Message);
        }
    }

    [TestMethod]
    public void An_ssh_key_file_named_by_GitOpsCommitSigningKey_that_ssh_keygen_cannot_load_names_that_property_not_GITOPS_SIGNING_KEY()
    {
        var path = Path.Combine(keys.Root, "not-a-key");
        File.WriteAllText(path, "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (error, remote, _) = DeployFails(SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = "" }, keyId: path));

        using (remote)
        {
            Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, CommitSigning.KeyProperty);
            Assert.IsFalse(error.Message.Contains(CommitSigning.KeyVariable, StringComparison.Ordinal), "GITOPS_SIGNING_KEY is not set: " + error.Message);
        }
    }

    [TestMethod]
    public void An_armored_text_gpg_cannot_import_is_GITOPS057()
    {
        var notAKey = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PRIVATE KEY BLOCK-----\n";
        var signing = SignedCommitTests.Signing("openpgp", new() { [CommitSigning.KeyVariable] = notAKey });
        var work = Path.Combine(keys.Root, "work");
        Directory.CreateDirectory(work);

        var error = Assert.ThrowsExactly<GitOpsException>(() => signing.CreateSigner(TimeSpan.FromMinutes(1), work));

        Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code, error.Message);
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(work), "the temporary GNUPGHOME is deleted");
    }

    [TestMethod]
    public void An_openpgp_key_id_missing_from_the_keyring_is_GITOPS057_and_nothing_is_pushed()
    {
        var (home, _, _) = keys.OpenPgp("keyring");

        var (error, remote, before) = DeployFails(SignedCommitTests.Signing("openpgp", new() { ["GNUPGHOME"] = home }, keyId: "nobody@example.com"));

        using (remote)
        {
            Assert.AreEqual(Errors.SigningKeyMissing.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, "'nobody@example.com' is not a secret key");
            Assert.AreEqual(before, remote.Tip("main"));
        }
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void A_wrong_passphrase_is_GITOPS059_nothing_is_pushed_and_the_passphrase_is_not_shown(string format)
    {
        const string wrong = "not-the-passphrase";
        var key = format == "ssh" ? File.ReadAllText(keys.Ssh("protected", "right one").PrivateKeyPath) : keys.OpenPgp("protected", "right one").SecretKey;

        var (error, remote, before) = DeployFails(SignedCommitTests.Signing(format, new()
        {
            [CommitSigning.KeyVariable] = key,
            [CommitSigning.PassphraseVariable] = wrong,
        }));

        using (remote)
        {
            Assert.AreEqual(Errors.SigningFailed.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, CommitSigning.PassphraseVariable);
            Assert.IsFalse(error.Message.Contains(wrong, StringComparison.Ordinal), error.Message);
            Assert.AreEqual(before, remote.Tip("main"), "nothing pushed");
            CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(remote.WorkDirectory), "no key, home or clone left");
        }
    }

    [TestMethod]
    [DataRow("ssh")]
    [DataRow("openpgp")]
    public void A_protected_key_without_a_passphrase_fails_at_once_instead_of_prompting(string format)
    {
        var key = format == "ssh" ? File.ReadAllText(keys.Ssh("protected", "right one").PrivateKeyPath) : keys.OpenPgp("protected", "right one").SecretKey;
        var clock = Stopwatch.StartNew();

        var (error, remote, _) = DeployFails(SignedCommitTests.Signing(format, new() { [CommitSigning.KeyVariable] = key, [CommitSigning.PassphraseVariable] = "" }));

        using (remote)
        {
            Assert.AreEqual(Errors.SigningFailed.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, CommitSigning.PassphraseVariable);
            Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        }
    }

    [TestMethod]
    public void A_signing_tool_that_hangs_is_killed_at_the_time_limit_with_GITOPS059()
    {
        var (signing, pidFile) = HangingSigningTool();
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsExactly<GitOpsException>(() => signing.CreateSigner(TimeSpan.FromSeconds(2), keys.Root));

        Assert.AreEqual(Errors.SigningFailed.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "did not finish within 2 seconds");
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        AssertKilled(pidFile);
    }

    [TestMethod]
    public void Ctrl_C_stops_a_signing_tool_that_hangs_at_once()
    {
        // A limit of minutes: only the cancellation can end the wait.
        var (signing, pidFile) = HangingSigningTool();
        using var cancellation = new CancellationTokenSource();

        var run = Task.Run(() => signing.CreateSigner(TimeSpan.FromMinutes(5), keys.Root, cancellation.Token));
        Assert.IsTrue(SpinWait.SpinUntil(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(20)), "the tool started");
        cancellation.Cancel();

        // Only the cancellation can end the wait before the 5-minute limit: no stopwatch needed (it failed on a loaded machine).
        Assert.IsTrue(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the signing did not stop");
        Assert.IsInstanceOfType<OperationCanceledException>(run.Exception!.InnerException);
        AssertKilled(pidFile);
    }

    /// <summary>
    /// SSH signing through a fake ssh-keygen that never finishes, the one fake here: the real one cannot be made to hang
    /// on demand. The file receives the fake's process id.
    /// </summary>
    private (CommitSigning Signing, string PidFile) HangingSigningTool()
    {
        var bin = Path.Combine(keys.Root, "bin");
        Directory.CreateDirectory(bin);
        var pidFile = Path.Combine(keys.Root, "tool.pid");
        var tool = Path.Combine(bin, "ssh-keygen");
        File.WriteAllText(tool, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 120\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (key, _) = keys.Ssh("deploy");
        return (SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = key, ["PATH"] = bin }), pidFile);
    }

    private static void AssertKilled(string pidFile)
    {
        var stat = $"/proc/{File.ReadAllText(pidFile).Trim()}/stat";
        Assert.IsTrue(!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] == "Z", "the tool was killed");
    }

    [TestMethod]
    public void A_wrong_passphrase_fails_before_the_config_repository_is_cloned()
    {
        var (key, _) = keys.Ssh("protected", "right one");
        var signing = SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = key, [CommitSigning.PassphraseVariable] = "wrong" });

        var error = Assert.ThrowsExactly<GitOpsException>(() => signing.CreateSigner(TimeSpan.FromMinutes(1), keys.Root));

        Assert.AreEqual(Errors.SigningFailed.Code, error.Code, error.Message);
    }

    /// <summary>A deploy to a fresh local repository that must fail; the repository and its tip before, to check nothing landed.</summary>
    private static (GitOpsException Error, ConfigRemote Remote, string Before) DeployFails(CommitSigning signing)
    {
        var remote = TwoApps.Create();
        var before = remote.Tip("main");
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
        {
            using var signer = signing.CreateSigner(TimeSpan.FromMinutes(1), remote.WorkDirectory);
            new ConfigRepositoryWriter(null, new RecordingLog(), new ConfigWriterOptions { Transports = TestTransports.Direct, WorkDirectory = remote.WorkDirectory, Signer = signer }, Backoff.None)
                .Commit(GitOps.Build.Tests.ConfigRepo.ConfigRepositoryWriterTests.Request(remote.Path), TwoApps.DeployWeb());
        });
        return (error, remote, before);
    }
}
