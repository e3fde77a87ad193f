namespace GitOps.Build.Signing;

/// <summary>Signs a commit object's content the way git does: the returned armored text goes into its gpgsig header.</summary>
public interface ICommitSigner : IDisposable
{
    /// <summary>The format's name as users write it (GitOpsCommitSigningFormat).</summary>
    string Format { get; }

    /// <exception cref="GitOps.Build.Diagnostics.GitOpsException">GITOPS057-059: the key, the tool or the passphrase.</exception>
    string Sign(string commitContent);
}
