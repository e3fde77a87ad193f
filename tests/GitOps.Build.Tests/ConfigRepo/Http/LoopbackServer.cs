using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>An HTTP request as a loopback server received it: enough to see where credentials went.</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Authorization => Headers.GetValueOrDefault("authorization");
}

/// <summary>
/// A misbehaving HTTP server on a loopback address, for the faults a real git server does not produce on demand
/// (silence, redirects, half replies). Each connection is handled by <c>respond</c>, which gets the parsed request and
/// the connection's stream; returning without writing leaves the client waiting until the server is disposed.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<TcpClient> connections = [];
    private readonly Func<ReceivedRequest, Stream, CancellationToken, Task> respond;

    public LoopbackServer(Func<ReceivedRequest, Stream, CancellationToken, Task> respond, string address = "127.0.0.1")
    {
        this.respond = respond;
        listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        BaseUrl = $"http://{address}:{endpoint.Port}";
        _ = AcceptLoop();
    }

    /// <summary>http://address:port, no trailing slash.</summary>
    public string BaseUrl { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Accepts, reads the request, then never answers.</summary>
    public static LoopbackServer Silent(string address = "127.0.0.1") =>
        new((_, _, token) => Task.Delay(Timeout.Infinite, token), address);

    /// <summary>Answers with status and headers of a 100 KB git advertisement, sends ten bytes of it, then nothing.</summary>
    public static LoopbackServer HeadersThenSilence() =>
        new(async (_, stream, token) =>
        {
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n" +
                                     "Content-Length: 100000\r\n\r\n001e# service=git-", token);
            await Task.Delay(Timeout.Infinite, token);
        });

    /// <summary>Answers every request with one fixed response (status line, headers and body).</summary>
    public static LoopbackServer Answering(string status, string contentType, string body, string address = "127.0.0.1", string? extraHeaders = null) =>
        new((_, stream, token) => WriteAsync(stream,
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{extraHeaders}Connection: close\r\n\r\n{body}", token), address);

    public static Task WriteAsync(Stream stream, string text, CancellationToken token) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), token).AsTask();

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            connections.Add(client);
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            // Keep-alive: answer requests on this connection until the client closes it or a handler stops answering.
            while (!stop.IsCancellationRequested && await ReadRequest(stream, stop.Token) is { } request)
            {
                Requests.Enqueue(request);
                await respond(request, stream, stop.Token);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested || client.Connected is false)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task<ReceivedRequest?> ReadRequest(Stream stream, CancellationToken token)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, token) == 0) return null;
            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim().ToLowerInvariant(), parts => parts[1].Trim());
        var body = new byte[headers.TryGetValue("content-length", out var length) ? int.Parse(length) : 0];
        await stream.ReadExactlyAsync(body, token);
        return new ReceivedRequest(requestLine[0], requestLine[1], headers, body);
    }

    public void Dispose()
    {
        if (stop.IsCancellationRequested) return;
        stop.Cancel();
        listener.Stop();
        foreach (var client in connections) client.Dispose();
    }
}
