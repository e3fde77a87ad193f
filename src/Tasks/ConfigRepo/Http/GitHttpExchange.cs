using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// One smart-HTTP exchange of our own wire-protocol code (the treeless clone): the advertisement (GET, asking
/// upload-pack for protocol v2) or a request (POST) and the whole answer, bounded in size. Credentials, redirects and
/// failures are handled as <see cref="GitHttpStream"/> handles libgit2's.
/// </summary>
internal sealed class GitHttpExchange(GitHttpSession session, string baseUrl, WireCounters counters)
{

    /// <summary>The repository URL after a (same-origin) redirect of the advertisement, for the requests that follow.</summary>
    public string? RedirectedBase { get; private set; }

    /// <summary>Runs inside <see cref="TransportSession{TSession}.Run{T}"/>: failures are recorded on the session and rethrown as libgit2's would be.</summary>
    public byte[] Send(GitService service, byte[]? request, long maxAnswerBytes)
    {
        var sending = Stopwatch.GetTimestamp();
        try
        {
            var answer = Receive(service, request, maxAnswerBytes);
            counters.Record(request?.Length ?? 0, answer.Length, Stopwatch.GetElapsedTime(sending));
            return answer;
        }
        catch (WireFormatException)
        {
            throw;
        }
        catch (Exception e)
        {
            session.Fail(e);
            throw new LibGit2SharpException(e.Message, e);
        }
    }

    private byte[] Receive(GitService service, byte[]? request, long maxAnswerBytes)
    {
        var post = request is not null;
        var uri = new Uri(baseUrl + (post ? "/" + service.Name : service.AdvertisementPath));
        HttpResponseMessage response;
        for (var redirects = 0; ; redirects++)
        {
            using var message = NewRequest(uri, service, request);
            response = session.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, session.Token).GetAwaiter().GetResult();
            if (!GitHttpAnswer.IsRedirect(response.StatusCode))
                break;
            uri = GitHttpAnswer.Follow(response, uri, post, redirects, session);
        }

        using (response)
        {
            GitHttpAnswer.Check(response, uri, service, post, session);
            if (!post && uri.AbsoluteUri.EndsWith(service.AdvertisementPath, StringComparison.Ordinal) && uri.AbsoluteUri != baseUrl + service.AdvertisementPath)
                RedirectedBase = uri.AbsoluteUri[..^service.AdvertisementPath.Length];
            return ReadBounded(response, maxAnswerBytes);
        }
    }

    private HttpRequestMessage NewRequest(Uri uri, GitService service, byte[]? body)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, uri);
        request.Headers.UserAgent.ParseAdd(GitHttpTransport.UserAgent);
        request.Headers.Accept.ParseAdd(body is null ? "*/*" : service.ResultType);
        request.Headers.Pragma.ParseAdd("no-cache");
        if (service == GitService.UploadPack)
            request.Headers.Add("Git-Protocol", "version=2");
        if (Origin.Of(uri) == session.Origin)
        {
            request.Headers.Authorization = session.Authorization;
            request.Headers.ProxyAuthorization = session.ProxyAuthorization;
        }
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(service.RequestType);
        }
        return request;
    }

    private byte[] ReadBounded(HttpResponseMessage response, long maxAnswerBytes)
    {
        using var content = response.Content.ReadAsStreamAsync(session.Token).GetAwaiter().GetResult();
        using var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = content.ReadAsync(buffer, session.Token).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (answer.Length + read > maxAnswerBytes)
                throw new AnswerPastBoundException(maxAnswerBytes);
            answer.Write(buffer, 0, read);
        }
        return answer.ToArray();
    }
}
