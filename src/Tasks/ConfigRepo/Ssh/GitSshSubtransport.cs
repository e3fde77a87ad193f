using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// libgit2's view of one SSH connection to a repository. Stateful, as git's own SSH transport: the ref advertisement
/// and the negotiation that follows (upload-pack, or receive-pack for a push) are one ssh process, so libgit2 gets the
/// same stream back for the second action of a service.
/// </summary>
internal sealed class GitSshSubtransport : SmartSubtransport
{
    private GitSshStream? current;

    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        var session = GitSshSession.Current
            ?? throw new InvalidOperationException("GitOps.Build: an SSH transfer ran outside a GitSshSession.");
        var service = action switch
        {
            GitSmartSubtransportAction.UploadPackList or GitSmartSubtransportAction.UploadPack => SshProcess.UploadPack,
            GitSmartSubtransportAction.ReceivePackList or GitSmartSubtransportAction.ReceivePack => SshProcess.ReceivePack,
            _ => throw new NotSupportedException($"libgit2 asked for the unknown smart action {action}."),
        };
        var listing = action is GitSmartSubtransportAction.UploadPackList or GitSmartSubtransportAction.ReceivePackList;
        if (!listing && current is { IsOpen: true } open && open.Service == service)
            return open;

        try
        {
            // The URL only routes the call here (it must be one of ours); where to go is the session's parsed address.
            PrivateScheme.Unwrap(url);
            current = new GitSshStream(this, session, session.Start(service));
            return current;
        }
        catch (Exception e)
        {
            throw session.Fail(e);
        }
    }

    protected override void Close()
    {
        current = null;
        base.Close();
    }
}
