using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// One exchange of our own wire-protocol code (the treeless clone) over its own ssh process, stateless as smart HTTP:
/// the request is written as soon as ssh starts, while the service's greeting (upload-pack's protocol v2 capabilities,
/// receive-pack's ref advertisement) and then its answer are read, so an exchange is one round trip. Each answer ends
/// at its flush, after which ssh is let finish.
/// </summary>
internal sealed class SshWireExchange(GitSshSession session, WireCounters counters)
{
    /// <summary>The greeting of the last exchange with upload-pack: its protocol v2 capabilities, or None for a v0 greeting.</summary>
    public V2Capabilities? Greeting { get; private set; }

    /// <summary>Runs inside <see cref="TransportSession{TSession}.Run{T}"/>: failures are recorded on the session and rethrown as libgit2's would be.</summary>
    /// <exception cref="WireFormatException">The answer is longer than <paramref name="maxAnswerBytes"/>, or is not pkt-lines.</exception>
    /// <exception cref="RemoteRefusedException">git on the server died on the request (a "fatal:" of its own: a want it does not serve).</exception>
    public byte[] Send(string service, byte[]? request, long maxAnswerBytes)
    {
        var upload = service == SshProcess.UploadPack;
        // From ssh's start: its login is part of what each exchange waits on.
        var sending = Stopwatch.GetTimestamp();
        var process = session.Start(service, protocolV2: upload);
        var reader = new Reader(process, maxAnswerBytes);
        // Written beside the reads: a large advertisement and a large request cannot block each other.
        var writing = request is null ? Task.CompletedTask : Task.Run(() => process.Write(request, request.Length));
        try
        {
            var greeting = reader.ReadUntilFlush();
            byte[] answer;
            if (upload)
            {
                Greeting = ProtocolV2.ParseCapabilities(greeting);
                // A v0 server reads a v2 request as garbage: there is no answer to wait for.
                answer = request is null ? greeting : Greeting.IsV2 ? reader.ReadUntilFlush() : [];
            }
            else
            {
                answer = request is null ? greeting : reader.ReadUntilFlush();
            }
            if (Greeting?.IsV2 != false || !upload)
            {
                writing.GetAwaiter().GetResult();
                // Let ssh end by itself (end of input: the service exits): killing it would kill the sharing master it
                // forked for the next exchanges (a login each), and a push's hooks run to their end.
                process.Finish();
            }
            counters.Record(request?.Length ?? 0, reader.Total, Stopwatch.GetElapsedTime(sending));
            return answer;
        }
        catch (Exception e) when (e is WireFormatException or RemoteRefusedException)
        {
            // An answer, if not the one asked for: a round trip all the same (a fetch by name git refused, say).
            counters.Record(request?.Length ?? 0, reader.Total, Stopwatch.GetElapsedTime(sending));
            throw;
        }
        catch (IOException e) when (process.ExitCode is > 0 and < 255 && e.Message is var reason)
        {
            // git on the server died on what it was asked (ssh itself exits with 255): the server's refusal, not the network's.
            counters.Record(request?.Length ?? 0, reader.Total, Stopwatch.GetElapsedTime(sending));
            throw new RemoteRefusedException(reason[(reason.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
        }
        catch (Exception e)
        {
            session.Fail(e);
            throw new LibGit2SharpException(e.Message, e);
        }
        finally
        {
            // A write that failed because the server stopped reading says nothing the reads did not.
            _ = writing.Exception;
            process.Dispose();
        }
    }

    /// <summary>pkt-lines from ssh's output, read as they come and counted against the answer's bound.</summary>
    private sealed class Reader(SshProcess process, long maxAnswerBytes)
    {
        private readonly byte[] header = new byte[4];

        public long Total { get; private set; }

        /// <summary>Up to and including the next flush; up to an ERR packet, after which the server closes.</summary>
        public byte[] ReadUntilFlush()
        {
            using var output = new MemoryStream();
            while (true)
            {
                if (!ReadExactly(header, 4))
                {
                    if (output.Length == 0 && Total == 0)
                        throw new WireFormatException("the connection closed before the server said anything");
                    throw new WireFormatException("the answer ended before its last packet");
                }
                output.Write(header);
                if (!int.TryParse(Encoding.ASCII.GetString(header), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
                    throw new WireFormatException("an invalid packet length");
                if (length == 0)
                    return output.ToArray();
                if (length < 4)
                    continue;
                var payload = new byte[length - 4];
                if (!ReadExactly(payload, payload.Length))
                    throw new WireFormatException("the answer ended before its last packet");
                output.Write(payload);
                if (payload.AsSpan().StartsWith("ERR "u8))
                    return output.ToArray();
            }
        }

        private bool ReadExactly(byte[] buffer, int count)
        {
            for (var done = 0; done < count;)
            {
                var read = process.Read(buffer.AsMemory(done, count - done));
                if (read == 0)
                    return false;
                done += read;
                Total += read;
                if (Total > maxAnswerBytes)
                    throw new AnswerPastBoundException(maxAnswerBytes);
            }
            return true;
        }
    }
}
