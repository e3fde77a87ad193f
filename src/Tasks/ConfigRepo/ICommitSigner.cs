namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Signs a commit object's content the way git does: the returned armored text goes into its gpgsig header. Declared
/// here, where commits are made; Signing/ implements it with ssh-keygen and gpg.
/// </summary>
internal interface ICommitSigner : IDisposable
{
    /// <summary>The format's name as users write it (GitOpsCommitSigningFormat).</summary>
    string Format { get; }

    /// <exception cref="GitOps.Build.Diagnostics.GitOpsException">GITOPS057-059: the key, the tool or the passphrase.</exception>
    /// <param name="commitContent">The commit object as git hashes it, without the signature.</param>
    /// <param name="deadline">The write-back's budget and Ctrl+C: the tool is stopped (its process tree killed) at either.</param>
    string Sign(string commitContent, Deadline deadline);
}
