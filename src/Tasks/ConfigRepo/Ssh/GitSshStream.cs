using System.Buffers;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>The git protocol stream over one ssh process: libgit2's reads and writes go to its stdout and stdin.</summary>
internal sealed class GitSshStream(GitSshSubtransport subtransport, GitSshSession session, SshProcess process)
    : SmartSubtransportStream(subtransport)
{
    private byte[]? firstRequest;
    // Each ssh process starts with the ref advertisement, ended by one flush.
    private readonly RefAdvertisementLimit advertisement = new(session.DisplayUrl, flushes: 1);
    private readonly PackResponseReader pack = new();

    public string Service => process.Service;

    /// <summary>False once libgit2 freed it: the next action then needs a new process.</summary>
    public bool IsOpen { get; private set; } = true;

    public override int Read(Stream dataStream, long length, out long bytesRead)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 64 * 1024));
        try
        {
            var read = process.Read(buffer, (int)Math.Min(length, buffer.Length));
            // The advertisement has its own bound; what follows it (negotiation, the pack) counts as the call's. The
            // pack's header is looked for in every read: a server may send it in the one that ends the refs.
            var afterRefs = advertisement.Ended;
            if (!afterRefs)
                advertisement.Observe(buffer.AsSpan(0, read));
            session.Received.Observe(buffer.AsSpan(0, read), pack, countBytes: afterRefs);
            dataStream.Write(buffer, 0, read);
            bytesRead = read;
            return 0;
        }
        catch (Exception e)
        {
            throw session.Fail(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override int Write(Stream dataStream, long length)
    {
        try
        {
            if (Service == SshProcess.UploadPack)
            {
                // Negotiation messages are small: take each whole, to see what libgit2 repeats.
                var message = new byte[length];
                dataStream.ReadExactly(message);
                var send = WithoutRepeatedWants(message);
                process.Write(send, send.Length);
                return 0;
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 64 * 1024));
            try
            {
                for (var left = length; left > 0;)
                {
                    var chunk = dataStream.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
                    if (chunk == 0)
                        break;
                    process.Write(buffer, chunk);
                    left -= chunk;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return 0;
        }
        catch (Exception e)
        {
            throw session.Fail(e);
        }
    }

    /// <summary>
    /// libgit2 1.8 keeps the "want … deepen" request of a shallow fetch in its buffer after sending it, and sends it
    /// again in front of "done": right for stateless HTTP, a protocol error on a connection ("git upload-pack: expected
    /// SHA1 list, got 'want …'", also seen as rust-lang/git2-rs#1084). The first request is remembered, and sent once.
    /// </summary>
    private byte[] WithoutRepeatedWants(byte[] message)
    {
        if (firstRequest is null)
        {
            if (IsWant(message))
                firstRequest = message;
            return message;
        }
        return message.Length > firstRequest.Length && message.AsSpan().StartsWith(firstRequest) ? message[firstRequest.Length..] : message;
    }

    // A pkt-line "00xxwant <oid> …".
    private static bool IsWant(byte[] message) => message.Length > 8 && message.AsSpan(4, 5).SequenceEqual("want "u8);

    protected override void Free()
    {
        IsOpen = false;
        process.Dispose();
        base.Free();
    }
}
