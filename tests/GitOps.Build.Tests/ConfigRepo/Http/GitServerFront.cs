using System.Net.Http.Headers;
using System.Text;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>What the front does with one request.</summary>
internal abstract record FrontAction
{
    /// <summary>Pass it to the real git server, with its headers (credentials included).</summary>
    public sealed record Forward : FrontAction;

    /// <summary>Answer 302 with this Location (absolute or relative).</summary>
    public sealed record Redirect(string Location) : FrontAction;

    /// <summary>Pass it to the real git server, then run <paramref name="Then"/> and close the connection without an answer.</summary>
    public sealed record ForwardThenDrop(Action Then) : FrontAction;

    /// <summary>Read it and never answer.</summary>
    public sealed record Swallow : FrontAction;

    /// <summary>Answer 200 with this body, as git's smart HTTP would (a garbled answer).</summary>
    public sealed record Answer(string ContentType, byte[] Body) : FrontAction;
}

/// <summary>
/// A loopback server in front of the real git HTTP server (nginx + git http-backend), which forwards what it is told
/// to and misbehaves on the rest: the real server does the git protocol, the front the fault.
/// </summary>
internal static class GitServerFront
{
    private static readonly HttpClient Upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

    /// <param name="upstreamOrigin">The real server's origin, e.g. http://127.0.0.1:8081.</param>
    public static LoopbackServer Create(string upstreamOrigin, Func<ReceivedRequest, FrontAction> decide) =>
        new(async (request, stream, token) =>
        {
            switch (decide(request))
            {
                case FrontAction.Redirect redirect:
                    await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: {redirect.Location}\r\nContent-Length: 0\r\n\r\n", token);
                    break;
                case FrontAction.Answer answer:
                    await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {answer.Body.Length}\r\n\r\n", token);
                    await stream.WriteAsync(answer.Body, token);
                    break;
                case FrontAction.ForwardThenDrop drop:
                    // The server applied it; the client never hears so (a connection cut after the update).
                    (await Send(upstreamOrigin, request, token)).Response.Dispose();
                    drop.Then();
                    stream.Dispose();
                    break;
                case FrontAction.Swallow:
                    await Task.Delay(Timeout.Infinite, token);
                    break;
                default:
                    await Forward(upstreamOrigin, request, stream, token);
                    break;
            }
        });

    private static async Task Forward(string upstreamOrigin, ReceivedRequest request, Stream stream, CancellationToken token)
    {
        var (response, body) = await Send(upstreamOrigin, request, token);
        using (response)
        {
            var head = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
            if (response.Content.Headers.ContentType is { } type) head.Append($"Content-Type: {type}\r\n");
            if (response.Headers.WwwAuthenticate.Count > 0) head.Append($"WWW-Authenticate: {response.Headers.WwwAuthenticate}\r\n");
            head.Append($"Content-Length: {body.Length}\r\n\r\n");
            await LoopbackServer.WriteAsync(stream, head.ToString(), token);
            await stream.WriteAsync(body, token);
        }
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> Send(string upstreamOrigin, ReceivedRequest request, CancellationToken token)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), upstreamOrigin + request.Target);
        if (request.Authorization is { } authorization)
            message.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        // Protocol v2 (the treeless clone) is asked for by this header: without it the server speaks v0.
        if (request.Headers.GetValueOrDefault("git-protocol") is { } protocol)
            message.Headers.Add("Git-Protocol", protocol);
        if (request.Method == "POST")
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.Headers["content-type"]);
        }

        var response = await Upstream.SendAsync(message, token);
        return (response, await response.Content.ReadAsByteArrayAsync(token));
    }
}
