using GitOps.Build.Signing;

namespace GitOps.Build.Tasks;

/// <summary>
/// Checks the signing settings before the build compiles and the config repository is cloned: the format, that a key
/// is given and readable, and that its tool is installed (GITOPS056-058).
/// </summary>
public sealed class CheckCommitSigning : GitOpsTask
{
    /// <summary>GitOpsCommitSigningFormat: ssh, openpgp, or empty (unsigned).</summary>
    public string? Format { get; set; }

    /// <summary>GitOpsCommitSigningKey: an OpenPGP key id (or, for ssh, a key file's path).</summary>
    public string? Key { get; set; }

    protected override void ExecuteCore() => CommitSigning.Read(Format, Key, GetEnvironmentVariable);
}
