using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// libgit2's view of one connection to a repository: it asks for the four smart-HTTP requests by action. A redirect of
/// the first request moves the base URL for the rest, as git does.
/// </summary>
internal sealed class GitHttpSubtransport : RpcSmartSubtransport
{
    /// <summary>The repository URL after a (same-origin) redirect of the ref advertisement.</summary>
    internal string? RedirectedBase { get; set; }

    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        var session = GitHttpSession.Current
            ?? throw new InvalidOperationException("GitOps.Build: an HTTP transfer ran outside a GitHttpSession.");
        // The URL only routes the call here (it must be one of ours); where to go is the session's parsed location.
        PrivateScheme.Unwrap(url);
        var baseUrl = (RedirectedBase ?? session.Repository.AbsoluteUri).TrimEnd('/');
        return action switch
        {
            GitSmartSubtransportAction.UploadPackList => new GitHttpStream(this, session, baseUrl, GitService.UploadPack, post: false),
            GitSmartSubtransportAction.UploadPack => new GitHttpStream(this, session, baseUrl, GitService.UploadPack, post: true),
            GitSmartSubtransportAction.ReceivePackList => new GitHttpStream(this, session, baseUrl, GitService.ReceivePack, post: false),
            GitSmartSubtransportAction.ReceivePack => new GitHttpStream(this, session, baseUrl, GitService.ReceivePack, post: true),
            _ => throw new NotSupportedException($"libgit2 asked for the unknown smart-HTTP action {action}."),
        };
    }
}

/// <summary>The two services of git's smart HTTP protocol.</summary>
internal sealed record GitService(string Name)
{
    public static readonly GitService UploadPack = new("git-upload-pack");
    public static readonly GitService ReceivePack = new("git-receive-pack");

    public string AdvertisementPath => "/info/refs?service=" + Name;

    public string AdvertisementType => $"application/x-{Name}-advertisement";

    public string RequestType => $"application/x-{Name}-request";

    public string ResultType => $"application/x-{Name}-result";
}
