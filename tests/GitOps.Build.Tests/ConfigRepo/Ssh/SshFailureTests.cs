using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using LibGit2Sharp;

namespace GitOps.Build.Tests.ConfigRepo.Ssh;

/// <summary>ssh's stderr (as OpenSSH 9.2 and git-shell print it, seen against the test sshd) to the coded error.</summary>
[TestClass]
public sealed class SshFailureTests
{
    private const string Url = "ssh://git.example.com/config.git";

    [TestMethod]
    public void A_changed_host_key_is_GITOPS081_even_though_ssh_also_says_verification_failed()
    {
        var error = Classify(SshProcess.UploadPack, 255,
            "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
            "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
            "Host key for 127.0.0.2 has changed and you have requested strict checking.",
            "Host key verification failed.");

        Assert.AreEqual(Errors.SshHostKeyChanged.Code, ((GitOpsException)error).Code);
        StringAssert.Contains(error.Message, "Host key for 127.0.0.2 has changed");
    }

    [TestMethod]
    [DataRow("GITOPS080", "No ED25519 host key is known for 127.0.0.2 and you have requested strict checking.", "Host key verification failed.")]
    [DataRow("GITOPS082", "gitops@127.0.0.2: Permission denied (publickey).", null)]
    [DataRow("GITOPS083", "fatal: 'nope.git' does not appear to be a git repository", null)]
    public void Each_reason_ssh_gives_has_its_code_and_its_line(string code, string line, string? after)
    {
        var error = Classify(SshProcess.UploadPack, line.StartsWith("fatal", StringComparison.Ordinal) ? 128 : 255, after is null ? [line] : [line, after]);

        Assert.AreEqual(code, ((GitOpsException)error).Code);
        StringAssert.Contains(error.Message, line);
        Assert.IsFalse(error.Message.Contains("..", StringComparison.Ordinal), "ssh's full stop is not doubled: " + error.Message);
    }

    [TestMethod]
    [DataRow(SshProcess.UploadPack, 255, "No ED25519 host key is known for 127.0.0.2 and you have requested strict checking.", "Host key verification failed.")]
    [DataRow(SshProcess.UploadPack, 255, "Host key for 127.0.0.2 has changed and you have requested strict checking.", "Host key verification failed.")]
    [DataRow(SshProcess.UploadPack, 255, "gitops@127.0.0.2: Permission denied (publickey).", null)]
    [DataRow(SshProcess.ReceivePack, 1, "ERROR: the key is read-only.", null)]
    public void A_line_ssh_ends_with_a_period_is_quoted_without_a_second_one(string service, int exitCode, string line, string? after)
    {
        var error = Classify(service, exitCode, after is null ? [line] : [line, after]);

        Assert.IsInstanceOfType<GitOpsException>(error);
        Assert.IsFalse(error.Message.Contains("..", StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void A_key_ssh_cannot_read_is_named_before_the_refusal()
    {
        var error = Classify(SshProcess.UploadPack, 255,
            "Load key \"/tmp/gitops-ssh-0123/key\": invalid format",
            "gitops@127.0.0.1: Permission denied (publickey).");

        Assert.AreEqual(Errors.SshKeyRefused.Code, ((GitOpsException)error).Code);
        StringAssert.Contains(error.Message, "invalid format gitops@127.0.0.1: Permission denied (publickey).");
    }

    [TestMethod]
    public void A_receive_pack_refused_at_login_is_GITOPS084()
    {
        var error = Classify(SshProcess.ReceivePack, 1, "ERROR: The key you are authenticating with has been marked as read only.");

        Assert.AreEqual(Errors.SshPushRefused.Code, ((GitOpsException)error).Code);
        StringAssert.Contains(error.Message, "marked as read only");
    }

    [TestMethod]
    public void Ssh_failing_to_connect_is_network_trouble_the_writer_retries()
    {
        var error = Classify(SshProcess.ReceivePack, 255, "ssh: connect to host 127.0.0.1 port 2299: Connection refused");

        Assert.IsNotInstanceOfType<GitOpsException>(error);
        Assert.AreEqual(GitFailure.Unreachable, GitErrorClassifier.Classify(new LibGit2SharpException(error.Message)));
    }

    private static Exception Classify(string service, int exitCode, params string[] stderr) =>
        SshFailure.Classify(Url, service, exitCode, stderr, transport: null);
}
