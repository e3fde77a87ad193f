using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Signing;

/// <summary>
/// The signing settings of a deploy, checked before anything is cloned: the format, where the key is, the tool.
/// The key (a path or the key itself) and the passphrase come from the environment and are never logged.
/// </summary>
internal sealed class CommitSigning
{
    public const string KeyVariable = SecretVariables.SigningKey;
    public const string PassphraseVariable = SecretVariables.SigningPassphrase;
    public const string KeyProperty = "GitOpsCommitSigningKey";
    public const string Ssh = "ssh";
    public const string OpenPgp = "openpgp";

    /// <summary>Each signing tool's wait, at most; a shorter GitOpsConfigTimeout bounds it further.</summary>
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly Func<string, string?> getEnvironmentVariable;

    private CommitSigning(string format, SigningTool tool, string? key, string? keyId, string? passphrase, Func<string, string?> getEnvironmentVariable,
        string keySource = KeyVariable)
    {
        Format = format;
        KeySource = keySource;
        Tool = tool;
        Key = key;
        KeyId = keyId;
        Passphrase = passphrase;
        this.getEnvironmentVariable = getEnvironmentVariable;
    }

    public string Format { get; }

    internal SigningTool Tool { get; }

    /// <summary>The private key itself (armored text) or a path to it; null for an OpenPGP key id in the user's keyring.</summary>
    internal string? Key { get; }

    internal string? KeyId { get; }

    /// <summary>What the user set to name <see cref="Key"/>: GITOPS_SIGNING_KEY, or GitOpsCommitSigningKey (an ssh key's path).</summary>
    internal string KeySource { get; }

    internal string? Passphrase { get; }

    internal bool KeyIsContent => Key is not null && IsKeyContent(Key);

    /// <summary>Reads and checks the settings. Null when <paramref name="format"/> is empty: commits are not signed.</summary>
    /// <param name="format">GitOpsCommitSigningFormat: ssh or openpgp.</param>
    /// <param name="keyId">GitOpsCommitSigningKey: an OpenPGP key id or e-mail (or, for ssh, a key file's path).</param>
    /// <param name="getEnvironmentVariable">Where GITOPS_SIGNING_KEY, GITOPS_SIGNING_PASSPHRASE and PATH are read.</param>
    /// <exception cref="GitOpsException">GITOPS056 (format), GITOPS057 (no key, or a key file that cannot be read), GITOPS058 (no tool).</exception>
    public static CommitSigning? Read(string? format, string? keyId, Func<string, string?> getEnvironmentVariable)
    {
        if (string.IsNullOrWhiteSpace(format))
            return null;

        var normalized = format.Trim().ToLowerInvariant();
        if (normalized is not (Ssh or OpenPgp))
            throw new GitOpsException(Errors.SigningFormatUnknown, format.Trim());

        var key = NonBlank(getEnvironmentVariable(KeyVariable));
        keyId = NonBlank(keyId);
        var passphrase = getEnvironmentVariable(PassphraseVariable) is { Length: > 0 } value ? value : null;
        if (normalized == Ssh)
        {
            if (key is null && keyId is null)
                throw new GitOpsException(Errors.SigningKeyMissing, Ssh, "is not set",
                    $"the environment variable {KeyVariable} to the SSH private key, or to its path.");
            var source = key is null ? KeyProperty : KeyVariable;
            if (key is null)
                key = CheckReadable(Ssh, keyId!, fromProperty: true);
            else if (!IsKeyContent(key))
                key = CheckReadable(Ssh, key, fromProperty: false);
            return new CommitSigning(Ssh, SigningTool.Find(Ssh, "ssh-keygen", "openssh-client", getEnvironmentVariable), key, null, passphrase, getEnvironmentVariable, source);
        }

        if (key is null && keyId is null)
            throw new GitOpsException(Errors.SigningKeyMissing, OpenPgp, "is not set",
                $"GitOpsCommitSigningKey to a key id (or e-mail) in the build user's GnuPG keyring, or the environment variable {KeyVariable} to an armored secret key (gpg --armor --export-secret-keys).");
        if (key is not null && !IsKeyContent(key))
            key = CheckReadable(OpenPgp, key, fromProperty: false);
        return new CommitSigning(OpenPgp, SigningTool.Find(OpenPgp, "gpg", "gnupg", getEnvironmentVariable), key, keyId, passphrase, getEnvironmentVariable);
    }

    /// <summary>A tool run's wait: its own limit, or what is left of the write-back's budget when that is less.</summary>
    internal static TimeSpan Limit(TimeSpan toolTimeout, Deadline deadline) =>
        deadline.Remaining < toolTimeout ? deadline.Remaining : toolTimeout;

    /// <summary>
    /// A signer for one deploy, tried on a probe first: a key the tool cannot load or a wrong passphrase fails here, before
    /// the config repository is cloned. Dispose it to delete what it put on disk (a temporary GNUPGHOME).
    /// </summary>
    /// <param name="budget">GitOpsConfigTimeout: no single tool run waits longer.</param>
    /// <param name="workDirectory">Parent of the temporary files; default the system's temporary directory.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the probe's tool.</param>
    public ICommitSigner CreateSigner(TimeSpan budget, string? workDirectory = null, CancellationToken cancellationToken = default)
    {
        var timeout = budget < ToolTimeout ? budget : ToolTimeout;
        ICommitSigner signer = Format == Ssh
            ? new SshCommitSigner(this, timeout, workDirectory)
            : OpenPgpCommitSigner.Create(this, timeout, workDirectory, getEnvironmentVariable("GNUPGHOME"));
        try
        {
            signer.Sign(Probe, new Deadline(timeout, cancellationToken));
            return signer;
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    // Shaped like a commit object (no repository holds it): what the tool will sign for real.
    private const string Probe = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor GitOps.Build <probe@localhost> 0 +0000\ncommitter GitOps.Build <probe@localhost> 0 +0000\n\nGitOps.Build signing probe\n";

    /// <summary>The key's text, from the variable itself or from the (regular, bounded) file it names.</summary>
    internal string ReadKeyText() => KeyIsContent ? Key! : UserFile.ReadAllText(Key!, KeySource, UserFile.KeyLimit);

    private static bool IsKeyContent(string key) => key.Contains("-----BEGIN ", StringComparison.Ordinal);

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // A value that is not a readable file is never echoed when it came from the environment: it may be a key in
    // another encoding (base64), i.e. a secret. A FIFO, a device or a huge file is GITOPS100: it would hang the build,
    // or fill the memory of ssh-keygen or of the build.
    private static string CheckReadable(string format, string path, bool fromProperty)
    {
        try
        {
            if (path.Contains('\n') || path.Length > 4096)
                throw new IOException("neither a path nor a key");
            return UserFile.CheckForTool(path, fromProperty ? KeyProperty : KeyVariable, UserFile.KeyLimit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw fromProperty
                ? new GitOpsException(e, Errors.SigningKeyMissing, format, $"file '{path}' named by {KeyProperty} cannot be read ({e.GetType().Name})",
                    KeyProperty + " to the private key's path, or the environment variable " + KeyVariable + " to the key or its path.")
                : new GitOpsException(Errors.SigningKeyMissing, format, $"in {KeyVariable} is neither a readable file nor a key (a key's text starts with -----BEGIN)",
                    $"{KeyVariable} to the private key's path or to the key itself, unencoded.");
        }
    }
}
