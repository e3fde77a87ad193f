using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Signing;

/// <summary>
/// Signs as git does with gpg.format=ssh: `ssh-keygen -Y sign -n git -f KEY`, the commit content on stdin. A key given as
/// text is written to a 0600 file for that one run and deleted. A passphrase reaches ssh-keygen through SSH_ASKPASS (a
/// script that prints the child's own environment variable), so nothing ever prompts on a terminal.
/// </summary>
internal sealed class SshCommitSigner(CommitSigning settings, TimeSpan timeout, string? workDirectory) : ICommitSigner
{
    private const string SignatureStart = "-----BEGIN SSH SIGNATURE-----";

    public string Format => CommitSigning.Ssh;

    public string Sign(string commitContent, Deadline deadline)
    {
        var scratch = PrivateFiles.CreateDirectory(workDirectory, OpenPgpCommitSigner.ScratchPrefix);
        try
        {
            var keyFile = settings.KeyIsContent
                ? PrivateFiles.Write(Path.Combine(scratch, "key"), settings.Key!.ReplaceLineEndings("\n").Trim() + "\n", "key given in " + settings.KeySource)
                : settings.Key!;
            var result = settings.Tool.Run(["-Y", "sign", "-n", "git", "-f", keyFile], commitContent, CommitSigning.Limit(timeout, deadline), deadline.Token, AskPass(scratch));
            if (result.Succeeded && result.Output.Contains(SignatureStart, StringComparison.Ordinal))
                return result.Output;
            throw Failure(result, settings.KeySource);
        }
        finally
        {
            TempDirectory.TryDelete(scratch);
        }
    }

    public void Dispose()
    {
        // Nothing stays on disk between signings.
    }

    private Dictionary<string, string> AskPass(string scratch)
    {
        // The one secret a child gets back after ChildProcess removed them all: ssh-keygen's passphrase, for askpass.
        var environment = new Dictionary<string, string> { [CommitSigning.PassphraseVariable] = settings.Passphrase ?? "" };
        if (OperatingSystem.IsWindows())
            return environment;
        environment["SSH_ASKPASS"] = PrivateFiles.Write(Path.Combine(scratch, "askpass"),
            $"#!/bin/sh\nprintf '%s\\n' \"${CommitSigning.PassphraseVariable}\"\n", "passphrase prompt script", executable: true);
        environment["SSH_ASKPASS_REQUIRE"] = "force";
        return environment;
    }

    private static GitOpsException Failure(SigningToolResult result, string keySource)
    {
        var reason = result.Reason;
        if (reason.Contains("passphrase", StringComparison.OrdinalIgnoreCase))
            return new GitOpsException(Errors.SigningFailed, "ssh-keygen", reason,
                $"the environment variable {CommitSigning.PassphraseVariable}: the key is protected by a passphrase, and it must hold that passphrase");
        if (reason.Contains("Load key", StringComparison.Ordinal) || reason.Contains("No such file", StringComparison.Ordinal)
            || reason.Contains("invalid format", StringComparison.Ordinal) || reason.Contains("PERMISSIONS", StringComparison.Ordinal))
            return new GitOpsException(Errors.SigningKeyMissing, CommitSigning.Ssh, $"could not be loaded by ssh-keygen ({reason})",
                $"{keySource} to an SSH private key{(keySource == CommitSigning.KeyVariable ? " (ssh-keygen -t ed25519) or its path" : "'s path (ssh-keygen -t ed25519)")}; a key file must be readable by its owner only (chmod 600).");
        return new GitOpsException(Errors.SigningFailed, "ssh-keygen", reason, "the key with ssh-keygen -y -f <key file>");
    }
}
