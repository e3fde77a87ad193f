using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Tests.ConfigRepo.Http;

namespace GitOps.Build.Tests.ConfigRepo.Hostile;

/// <summary>
/// A loopback git server that speaks protocol v2 to the treeless clone and answers as a hostile server could: every
/// fetch is answered with a pack of all <see cref="Objects"/> (valid objects, each hashing to its id, whatever their
/// trees say), ls-refs with <see cref="Refs"/>, a push with <see cref="PushAnswer"/>. libgit2's protocol v0 clone, which
/// follows when the treeless clone gives up, is refused (404): the test sees what the treeless route made of the answers.
/// No real git server sends such objects; none of them needs a fake: the objects are real git objects.
/// </summary>
internal sealed class HostileTreelessServer : IDisposable
{
    private readonly LoopbackServer server;

    public HostileTreelessServer(IReadOnlyList<WireObject> objects, string refs, Func<byte[], byte[]>? pushAnswer = null)
    {
        Objects = objects;
        Refs = refs;
        PushAnswer = pushAnswer ?? (request => [.. Pkt("unpack ok\n"), .. Pkt("ok refs/heads/main\n"), .. "0000"u8]);
        server = new LoopbackServer(async (request, stream, token) =>
        {
            var v2 = request.Headers.GetValueOrDefault("git-protocol") == "version=2";
            var body = Encoding.ASCII.GetString(request.Body);
            string type;
            byte[] answer;
            if (request.Target.Contains("git-receive-pack", StringComparison.Ordinal) && request.Method == "POST")
            {
                Pushes.Add(request.Body);
                type = "application/x-git-receive-pack-result";
                answer = PushAnswer(request.Body);
            }
            else if (request.Method == "GET" && v2 && request.Target.Contains("service=git-upload-pack", StringComparison.Ordinal))
            {
                type = "application/x-git-upload-pack-advertisement";
                answer = [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8, .. Pkt("version 2\n"), .. Pkt("ls-refs\n"), .. Pkt("fetch=shallow filter\n"), .. "0000"u8];
            }
            else if (request.Method == "POST" && body.Contains("command=ls-refs", StringComparison.Ordinal))
            {
                type = "application/x-git-upload-pack-result";
                answer = [.. Refs.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(line => Pkt(line + "\n")), .. "0000"u8];
            }
            else if (request.Method == "POST" && body.Contains("command=fetch", StringComparison.Ordinal) && Drips?.Invoke(body) == true)
            {
                // Headers, the packfile section, then a progress line every 100 ms without end: a server that drips.
                Interlocked.Increment(ref dripped);
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-result\r\nContent-Length: 100000000\r\n\r\n", token);
                await stream.WriteAsync(Pkt("packfile\n"), token);
                while (!token.IsCancellationRequested)
                {
                    await stream.WriteAsync(Pkt("\u0002Counting objects\n"), token);
                    await stream.FlushAsync(token);
                    await Task.Delay(100, token);
                }
                return;
            }
            else if (request.Method == "POST" && body.Contains("command=fetch", StringComparison.Ordinal))
            {
                type = "application/x-git-upload-pack-result";
                var pack = FetchPack?.Invoke() ?? PackWriter.Write(Objects);
                // A fetch by ref name (want-ref) is answered with WantedRefs as its wanted-refs section, whatever it asked.
                byte[] wanted = WantedRefs is { } named && body.Contains("want-ref ", StringComparison.Ordinal)
                    ? [.. Pkt("wanted-refs\n"), .. named.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(line => Pkt(line + "\n")), .. "0001"u8]
                    : [];
                answer = [.. wanted, .. Pkt("packfile\n"), .. pack.Chunk(65515).SelectMany(chunk => (byte[])[.. Encoding.ASCII.GetBytes((chunk.Length + 5).ToString("x4")), 1, .. chunk]), .. "0000"u8];
            }
            else
            {
                await LoopbackServer.WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", token);
                return;
            }
            await LoopbackServer.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {answer.Length}\r\n\r\n", token);
            await stream.WriteAsync(answer, token);
        });
    }

    public IReadOnlyList<WireObject> Objects { get; set; }

    public string Refs { get; set; }

    /// <summary>The pack every fetch is answered with, as a hostile server writes it; null: <see cref="Objects"/>, each whole.</summary>
    public Func<byte[]>? FetchPack { get; set; }

    /// <summary>The lines of the wanted-refs section that answers a fetch by ref name; null: no such section.</summary>
    public string? WantedRefs { get; set; }

    public Func<byte[], byte[]> PushAnswer { get; set; }

    public List<byte[]> Pushes { get; } = [];

    /// <summary>Which fetches (by their request's text) are dripped: answered a progress line at a time, without end.</summary>
    public Func<string, bool>? Drips { get; set; }

    private int dripped;

    /// <summary>How many fetches were dripped so far.</summary>
    public int DrippedFetches => Volatile.Read(ref dripped);

    public string Url => server.BaseUrl + "/config.git";

    public IEnumerable<ReceivedRequest> Requests => server.Requests;

    /// <summary>A commit of <paramref name="root"/>, and the refs that name it as main and HEAD.</summary>
    public static (WireObject Commit, string Refs) Tip(WireObject root, string headTarget = "refs/heads/main", string branch = "refs/heads/main")
    {
        var commit = new WireObject(GitObjectType.Commit, Encoding.ASCII.GetBytes(
            $"tree {root.Id}\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nStart\n"));
        return (commit, $"{commit.Id} HEAD symref-target:{headTarget}\n{commit.Id} {branch}\n");
    }

    public static WireObject Blob(string text) => new(GitObjectType.Blob, Encoding.UTF8.GetBytes(text));

    public static WireObject Tree(params TreeEntry[] entries) => new(GitObjectType.Tree, TreeEntries.Write(entries));

    public static byte[] Pkt(string payload) => RefAdvertisementLimitTests.Pkt(payload);

    public void Dispose() => server.Dispose();
}
