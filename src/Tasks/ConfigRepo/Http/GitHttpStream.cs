using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Http;

/// <summary>
/// One smart-HTTP request and its response. libgit2 writes a POST's whole body first, then reads: the request is sent
/// on the first read, with the body buffered (a deploy's pack is a few KB) so it goes out with a Content-Length.
/// </summary>
internal sealed class GitHttpStream(GitHttpSubtransport subtransport, GitHttpSession session, string baseUrl, GitService service, bool post)
    : SmartSubtransportStream(subtransport)
{
    /// <summary>As git and curl: enough for a forge's moved repository, not a loop.</summary>

    private readonly MemoryStream body = new();
    // A GET is the ref advertisement: "# service=…", a flush, the refs, a flush.
    private readonly RefAdvertisementLimit? advertisement = post ? null : new RefAdvertisementLimit(session.DisplayUrl, flushes: 2);
    // A POST's response (negotiation, the pack, a push's report) counts against the call's ReceiveLimit.
    private readonly PackResponseReader pack = new();
    private HttpResponseMessage? response;
    private Stream? content;

    public override int Write(Stream dataStream, long length)
    {
        dataStream.CopyTo(body);
        return 0;
    }

    public override int Read(Stream dataStream, long length, out long bytesRead)
    {
        try
        {
            bytesRead = Receive(dataStream, length);
            return 0;
        }
        catch (Exception e)
        {
            throw session.Fail(e);
        }
    }

    private int Receive(Stream dataStream, long length)
    {
        content ??= Send();
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 64 * 1024));
        try
        {
            var read = Wait(content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(length, buffer.Length)), session.Token).AsTask());
            if (advertisement is null)
                session.Received.Observe(buffer.AsSpan(0, read), pack);
            else
                advertisement.Observe(buffer.AsSpan(0, read));
            dataStream.Write(buffer, 0, read);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override void Free()
    {
        content?.Dispose();
        response?.Dispose();
        body.Dispose();
        base.Free();
    }

    private Stream Send()
    {
        var uri = new Uri(baseUrl + (post ? "/" + service.Name : service.AdvertisementPath));
        for (var redirects = 0; ; redirects++)
        {
            using var request = NewRequest(uri);
            response = Wait(session.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, session.Token));
            if (!GitHttpAnswer.IsRedirect(response.StatusCode))
                break;
            // response is the stream's field, which Free() disposes: Follow disposes it here.
            uri = GitHttpAnswer.Follow(response, uri, post, redirects, session);
            response = null;
        }

        GitHttpAnswer.Check(response, uri, service, post, session);

        if (!post && uri.AbsoluteUri.EndsWith(service.AdvertisementPath, StringComparison.Ordinal))
            subtransport.RedirectedBase = uri.AbsoluteUri[..^service.AdvertisementPath.Length];
        return Wait(response.Content.ReadAsStreamAsync(session.Token));
    }

    private HttpRequestMessage NewRequest(Uri uri)
    {
        var request = new HttpRequestMessage(post ? HttpMethod.Post : HttpMethod.Get, uri);
        request.Headers.UserAgent.ParseAdd(GitHttpTransport.UserAgent);
        request.Headers.Accept.ParseAdd(post ? service.ResultType : "*/*");
        request.Headers.Pragma.ParseAdd("no-cache");
        if (Origin.Of(uri) == session.Origin)
        {
            request.Headers.Authorization = session.Authorization;
            request.Headers.ProxyAuthorization = session.ProxyAuthorization;
        }
        if (post)
        {
            request.Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(service.RequestType);
        }
        return request;
    }

    /// <summary>Blocks libgit2's thread on a transfer; the session's token ends the wait at the deadline or on Ctrl+C.</summary>
    private static T Wait<T>(Task<T> transfer) => transfer.GetAwaiter().GetResult();
}
