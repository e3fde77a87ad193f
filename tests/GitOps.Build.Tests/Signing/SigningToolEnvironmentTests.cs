using GitOps.Build.ConfigRepo;
using GitOps.Build.Signing;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Signing;

/// <summary>
/// ssh-keygen, gpg, gpgconf and the gpg-agent gpg starts get none of the build's secrets (GITOPS_TOKEN, GITOPS_SSH_KEY,
/// the signing key itself, forge tokens, a proxy password); ssh-keygen gets the passphrase back, for its askpass alone.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SigningToolEnvironmentTests
{
    [TestMethod]
    public void Ssh_keygen_gets_no_secret_but_the_passphrase()
    {
        using var dump = new ChildEnvironmentDump();
        using var keys = new TestKeys();
        var (key, _) = keys.Ssh("signer", "the passphrase");
        dump.Wrap("ssh-keygen");
        var signing = SignedCommitTests.Signing("ssh", new()
        {
            [CommitSigning.KeyVariable] = File.ReadAllText(key),
            [CommitSigning.PassphraseVariable] = "the passphrase",
            ["PATH"] = dump.Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
        });

        using (signing.CreateSigner(TimeSpan.FromMinutes(1), keys.Root))
        {
        }

        var runs = dump.Runs("ssh-keygen");
        Assert.AreEqual(1, runs.Count, "the probe signed through the wrapper");
        dump.AssertClean("ssh-keygen", runs[0], CommitSigning.PassphraseVariable);
        Assert.AreEqual("the passphrase", runs[0][CommitSigning.PassphraseVariable], "what its askpass prints");
    }

    [TestMethod]
    public void Gpg_gpgconf_and_the_gpg_agent_get_no_secret()
    {
        using var dump = new ChildEnvironmentDump();
        using var keys = new TestKeys();
        var (_, secretKey, _) = keys.OpenPgp("signer");
        dump.Wrap("gpg");
        dump.Wrap("gpgconf");
        var signing = SignedCommitTests.Signing("openpgp", new()
        {
            [CommitSigning.KeyVariable] = secretKey,
            ["PATH"] = dump.Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
        });

        Dictionary<string, string>? agent = null;
        using (signing.CreateSigner(TimeSpan.FromMinutes(1), keys.Root))
        {
            // The agent outlives the gpg that started it: its environment is read from /proc while it runs.
            var home = Directory.GetDirectories(keys.Root, OpenPgpCommitSigner.HomePrefix + "*").Single();
            agent = Directory.EnumerateDirectories("/proc").Select(directory => Path.Combine(directory, "cmdline"))
                .Where(File.Exists).Select(file => (file, text: TryRead(file)))
                .Where(entry => entry.text.StartsWith("gpg-agent", StringComparison.Ordinal) || entry.text.Contains("/gpg-agent\0", StringComparison.Ordinal))
                .Where(entry => entry.text.Contains(home, StringComparison.Ordinal))
                .Select(entry => ChildEnvironmentDump.Parse(TryRead(Path.Combine(Path.GetDirectoryName(entry.file)!, "environ"))))
                .FirstOrDefault();
        }

        Assert.IsTrue(dump.Runs("gpg").Count >= 3, "import, listing and probe ran through the wrapper");
        foreach (var run in dump.Runs("gpg"))
            dump.AssertClean("gpg", run);
        Assert.AreEqual(1, dump.Runs("gpgconf").Count, "the agent was stopped through the wrapper");
        dump.AssertClean("gpgconf", dump.Runs("gpgconf")[0]);
        Assert.IsNotNull(agent, "gpg started an agent for its home");
        dump.AssertClean("gpg-agent", agent);
    }

    private static string TryRead(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
