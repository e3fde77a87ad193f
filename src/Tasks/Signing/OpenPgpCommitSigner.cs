using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Signing;

/// <summary>
/// Signs as git does with gpg.format=openpgp: a detached, armored signature by `gpg --local-user KEY`. A key from
/// GITOPS_SIGNING_KEY is imported into a temporary GNUPGHOME that disposing deletes (its gpg-agent stopped first); a key
/// id alone signs from the build user's own keyring. Never prompts: --batch, --pinentry-mode loopback, and the
/// passphrase on stdin (--passphrase-fd 0), never on the command line.
/// </summary>
internal sealed class OpenPgpCommitSigner : ICommitSigner
{
    private const string SignatureStart = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>Prefix of the temporary GnuPG homes a key from GITOPS_SIGNING_KEY is imported into.</summary>
    public const string HomePrefix = "gitops-gnupg-";

    private readonly SigningTool gpg;
    private readonly TimeSpan timeout;
    private readonly string? workDirectory;
    private readonly string? home;
    private readonly bool ownsHome;
    private readonly string keyId;
    private readonly string? passphrase;

    private OpenPgpCommitSigner(CommitSigning settings, TimeSpan timeout, string? workDirectory, string? home, bool ownsHome, string keyId)
    {
        gpg = settings.Tool;
        this.timeout = timeout;
        this.workDirectory = workDirectory;
        this.home = home;
        this.ownsHome = ownsHome;
        this.keyId = keyId;
        passphrase = settings.Passphrase;
    }

    public string Format => CommitSigning.OpenPgp;

    /// <remarks><paramref name="userHome"/>: GNUPGHOME as the build sees it, for a key id in the user's keyring (null: gpg's default).</remarks>
    public static OpenPgpCommitSigner Create(CommitSigning settings, TimeSpan timeout, string? workDirectory, string? userHome)
    {
        if (settings.Key is null)
            return new OpenPgpCommitSigner(settings, timeout, workDirectory, string.IsNullOrWhiteSpace(userHome) ? null : userHome, false, settings.KeyId!);

        var home = PrivateFiles.CreateDirectory(workDirectory, HomePrefix);
        try
        {
            var import = settings.Tool.Run(["--homedir", home, "--batch", "--no-tty", "--import"], settings.ReadKeyText(), timeout);
            if (!import.Succeeded)
                throw KeyUnreadable($"could not be imported by gpg ({import.Reason})");

            var listing = settings.Tool.Run(["--homedir", home, "--batch", "--no-tty", "--with-colons", "--list-secret-keys"], null, timeout);
            // The first fingerprint after "sec" is the primary key's; --local-user also accepts the user's own id.
            var fingerprint = listing.Output.Split('\n').Where(line => line.StartsWith("fpr:", StringComparison.Ordinal))
                .Select(line => line.Split(':')[9]).FirstOrDefault();
            if (fingerprint is null)
                throw KeyUnreadable("holds no secret key (export it with gpg --armor --export-secret-keys, not --export)");
            return new OpenPgpCommitSigner(settings, timeout, workDirectory, home, true, settings.KeyId ?? fingerprint);
        }
        catch
        {
            Delete(settings.Tool, home, timeout);
            throw;
        }
    }

    public string Sign(string commitContent, Deadline deadline)
    {
        // The content goes in a file so that stdin carries the passphrase.
        var scratch = PrivateFiles.CreateDirectory(workDirectory, ScratchPrefix);
        try
        {
            var payload = PrivateFiles.Write(Path.Combine(scratch, "commit"), commitContent, "commit to sign");
            var arguments = new List<string>();
            if (home is not null)
                arguments.AddRange(["--homedir", home]);
            arguments.AddRange(["--batch", "--no-tty", "--pinentry-mode", "loopback", "--status-fd", "2"]);
            if (passphrase is not null)
                arguments.AddRange(["--passphrase-fd", "0"]);
            arguments.AddRange(["--local-user", keyId, "--armor", "--detach-sign", "--output", "-", payload]);

            var result = gpg.Run(arguments, passphrase is null ? null : passphrase + "\n", CommitSigning.Limit(timeout, deadline), deadline.Token);
            if (result.Succeeded && result.Output.Contains(SignatureStart, StringComparison.Ordinal))
                return result.Output;
            throw Failure(result);
        }
        finally
        {
            TempDirectory.TryDelete(scratch);
        }
    }

    public void Dispose()
    {
        if (ownsHome)
            Delete(gpg, home!, timeout);
    }

    private GitOpsException Failure(SigningToolResult result)
    {
        var reason = result.Reason;
        if (result.Error.Contains("BAD_PASSPHRASE", StringComparison.Ordinal) || reason.Contains("passphrase", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("Inappropriate ioctl", StringComparison.Ordinal) || reason.Contains("can't get input", StringComparison.Ordinal))
            return new GitOpsException(Errors.SigningFailed, "gpg", reason,
                $"the environment variable {CommitSigning.PassphraseVariable}: the key is protected by a passphrase, and it must hold that passphrase");
        if (result.Error.Contains("INV_SGNR", StringComparison.Ordinal) || reason.Contains("secret key not available", StringComparison.OrdinalIgnoreCase)
            || reason.Contains("No secret key", StringComparison.Ordinal))
            return KeyUnreadable($"'{keyId}' is not a secret key in {(home is null ? "the build user's keyring" : "the key given in " + CommitSigning.KeyVariable)} ({reason})");
        return new GitOpsException(Errors.SigningFailed, "gpg", reason, "the key with gpg --list-secret-keys");
    }

    private static GitOpsException KeyUnreadable(string problem) =>
        new(Errors.SigningKeyMissing, CommitSigning.OpenPgp, problem,
            $"GitOpsCommitSigningKey to a key id of a secret key in the keyring, or {CommitSigning.KeyVariable} to an armored secret key.");

    // The agent gpg started for the temporary home would otherwise outlive the build (and keep its socket there).
    private static void Delete(SigningTool gpg, string home, TimeSpan timeout)
    {
        StopAgent(gpg.Sibling("gpgconf"), home, timeout);
        TempDirectory.TryDelete(home);
    }

    private static void StopAgent(SigningTool? gpgconf, string home, TimeSpan timeout)
    {
        try
        {
            gpgconf?.Run(["--homedir", home, "--kill", "gpg-agent"], null, timeout);
        }
        catch (GitOpsException)
        {
            // Best effort: the directory is deleted either way.
        }
    }

    /// <summary>
    /// Deletes the GnuPG homes (with the secret key in private-keys-v1.d) that killed builds left, after stopping the
    /// gpg-agent each one still runs; see <see cref="TempDirectory.SweepStale"/> for which ones are deleted.
    /// </summary>
    public static int SweepStale(string? parent, Func<string, string?> getEnvironmentVariable)
    {
        SigningTool? gpgconf;
        try
        {
            gpgconf = SigningTool.Find(CommitSigning.OpenPgp, "gpgconf", "gnupg", getEnvironmentVariable);
        }
        catch (GitOpsException)
        {
            gpgconf = null; // no GnuPG here: no agent to stop
        }
        return TempDirectory.SweepStale(parent, HomePrefix, home => StopAgent(gpgconf, home, TimeSpan.FromSeconds(10)))
            + TempDirectory.SweepStale(parent, ScratchPrefix);
    }

    /// <summary>Prefix of the scratch directories one signing writes its input (and a key given as text) to.</summary>
    internal const string ScratchPrefix = "gitops-sign-";
}
