using GitOps.Build.Signing;
using GitOps.Build.ConfigRepo;
using GitOps.Build.AppRepo;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Signing;

/// <summary>
/// Real signing keys made for one test with the real tools (ssh-keygen, gpg in a private GNUPGHOME), and checks with
/// git itself: `git verify-commit` against an allowed-signers file (SSH) or a keyring holding only the public key.
/// </summary>
internal sealed class TestKeys : IDisposable
{
    public const string Email = "deploy-bot@example.com";

    private readonly List<string> gnupgHomes = [];

    public TestKeys()
    {
        Root = TempDirectory.NewPath(null, "gitops-keys-");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>An ed25519 key: its private key file (0600) and its public key line.</summary>
    public (string PrivateKeyPath, string PublicKey) Ssh(string name, string passphrase = "")
    {
        var path = Path.Combine(Root, name);
        Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", Email, "-f", path]);
        return (path, File.ReadAllText(path + ".pub").Trim());
    }

    /// <summary>An allowed-signers file that trusts <paramref name="publicKey"/> for <see cref="Email"/>.</summary>
    public string AllowedSigners(string publicKey)
    {
        var path = Path.Combine(Root, "allowed-signers-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(path, $"{Email} {publicKey}\n");
        return path;
    }

    /// <summary>An OpenPGP ed25519 key made in its own GNUPGHOME: that home, its armored secret key and its public key.</summary>
    public (string Home, string SecretKey, string PublicKey) OpenPgp(string name, string passphrase = "")
    {
        var home = NewGnupgHome(name);
        Run("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase,
            "--quick-gen-key", $"Deploy Bot <{Email}>", "ed25519", "sign", "never"]);
        var secret = Run("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase,
            "--armor", "--export-secret-keys", Email]);
        var publicKey = Run("gpg", ["--homedir", home, "--batch", "--armor", "--export", Email]);
        return (home, secret, publicKey);
    }

    /// <summary>A GNUPGHOME that holds only <paramref name="publicKey"/>: what a verifier (Argo CD, a reviewer) has.</summary>
    public string Verifier(string publicKey)
    {
        var home = NewGnupgHome("verifier");
        var file = Path.Combine(Root, "public-" + Guid.NewGuid().ToString("N")[..6] + ".asc");
        File.WriteAllText(file, publicKey);
        Run("gpg", ["--homedir", home, "--batch", "--import", file]);
        return home;
    }

    /// <summary>`git verify-commit` in <paramref name="repository"/> with only the given trust: true when git accepts the signature.</summary>
    public static ProcessResult VerifySsh(string repository, string commit, string allowedSigners) =>
        Git(repository, null, "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + allowedSigners, "verify-commit", commit);

    public static ProcessResult VerifyOpenPgp(string repository, string commit, string verifierHome) =>
        Git(repository, verifierHome, "verify-commit", commit);

    /// <summary>Signing settings for a new key of <paramref name="format"/> (ssh, openpgp), and the check that verifies its commits.</summary>
    public (CommitSigning Signing, Func<string, string, ProcessResult> Verify) SigningPair(string format)
    {
        if (format == "ssh")
        {
            var (key, publicKey) = Ssh("deploy");
            var allowed = AllowedSigners(publicKey);
            return (SignedCommitTests.Signing("ssh", new() { [CommitSigning.KeyVariable] = key }), (repository, commit) => VerifySsh(repository, commit, allowed));
        }

        var (_, secretKey, openPgpPublicKey) = OpenPgp("deploy");
        var verifier = Verifier(openPgpPublicKey);
        return (SignedCommitTests.Signing("openpgp", new() { [CommitSigning.KeyVariable] = secretKey }), (repository, commit) => VerifyOpenPgp(repository, commit, verifier));
    }

    public void Dispose()
    {
        foreach (var home in gnupgHomes)
            ProcessRunner.Run("gpgconf", ["--homedir", home, "--kill", "gpg-agent"]);
        TempDirectory.TryDelete(Root);
    }

    private string NewGnupgHome(string name)
    {
        var home = Path.Combine(Root, "gnupg-" + name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        gnupgHomes.Add(home);
        return home;
    }

    private static ProcessResult Git(string repository, string? gnupgHome, params string[] arguments) =>
        ProcessRunner.Run("git", ["-C", repository, .. arguments], environment: new Dictionary<string, string?>
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GNUPGHOME"] = gnupgHome,
        });

    private static string Run(string fileName, string[] arguments)
    {
        var result = ProcessRunner.Run(fileName, arguments);
        Assert.IsTrue(result.Succeeded, $"{fileName}: {result}");
        return result.StandardOutput;
    }
}
