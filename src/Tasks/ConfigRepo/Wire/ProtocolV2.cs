using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>What a server said it can do in its protocol v2 capability advertisement.</summary>
internal sealed class V2Capabilities(IReadOnlyDictionary<string, string?> capabilities)
{
    /// <summary>A v0/v1 advertisement: the server did not switch to protocol v2.</summary>
    public static readonly V2Capabilities None = new(new Dictionary<string, string?>());

    public bool IsV2 => capabilities.Count > 0;

    public bool Has(string capability) => capabilities.ContainsKey(capability);

    /// <summary>A feature of the <c>fetch</c> command (<c>fetch=shallow filter</c>).</summary>
    public bool FetchHas(string feature) =>
        capabilities.TryGetValue("fetch", out var value) && (value ?? "").Split(' ').Contains(feature);
}

/// <summary>A ref as ls-refs lists it.</summary>
internal sealed record RemoteRef(string Name, string Id, string? SymrefTarget);

/// <summary>A fetch's answer: the refs its wanted-refs section named (want-ref), and the pack.</summary>
internal sealed record FetchAnswer(IReadOnlyList<RemoteRef> WantedRefs, byte[] Pack);

/// <summary>git's protocol v2 (gitprotocol-v2): the capability advertisement, ls-refs and fetch, as bytes.</summary>
internal static class ProtocolV2
{
    public const string Agent = "agent=gitops-build";

    /// <summary>
    /// Reads the answer to <c>GET info/refs?service=git-upload-pack</c> sent with <c>Git-Protocol: version=2</c>:
    /// "# service=…" and a flush (smart HTTP), then "version 2" and one capability a line. Anything else (a v0 ref
    /// advertisement) is <see cref="V2Capabilities.None"/>.
    /// </summary>
    public static V2Capabilities ParseCapabilities(ReadOnlyMemory<byte> answer)
    {
        var reader = new PktLineReader(answer);
        var line = reader.Read();
        if (line.Kind == PktLineKind.Data && line.Text.StartsWith("# service=", StringComparison.Ordinal))
        {
            if (reader.Read().Kind != PktLineKind.Flush)
                throw new WireFormatException("no flush after the service line");
            line = reader.Read();
        }
        if (line.Kind != PktLineKind.Data || line.Text != "version 2")
            return V2Capabilities.None;
        var capabilities = new Dictionary<string, string?>();
        while ((line = reader.Read()).Kind == PktLineKind.Data)
        {
            var text = line.Text;
            var equals = text.IndexOf('=');
            capabilities[equals < 0 ? text : text[..equals]] = equals < 0 ? null : text[(equals + 1)..];
        }
        return new V2Capabilities(capabilities);
    }

    /// <summary>ls-refs for the refs under <paramref name="prefixes"/>, with symbolic refs' targets.</summary>
    public static byte[] LsRefs(IEnumerable<string> prefixes)
    {
        using var output = new MemoryStream();
        PktLineWriter.WriteText(output, "command=ls-refs");
        PktLineWriter.WriteText(output, Agent);
        PktLineWriter.WriteDelimiter(output);
        PktLineWriter.WriteText(output, "symrefs");
        foreach (var prefix in prefixes)
            PktLineWriter.WriteText(output, "ref-prefix " + prefix);
        PktLineWriter.WriteFlush(output);
        return output.ToArray();
    }

    /// <summary>The refs of an ls-refs answer; more than <paramref name="maxRefs"/> is a <see cref="WireFormatException"/>.</summary>
    public static IReadOnlyList<RemoteRef> ParseLsRefs(ReadOnlyMemory<byte> answer, int maxRefs = int.MaxValue)
    {
        var reader = new PktLineReader(answer);
        var refs = new List<RemoteRef>();
        PktLine line;
        while ((line = reader.Read()).Kind == PktLineKind.Data)
        {
            var text = line.Text;
            ThrowIfError(text);
            var parts = text.Split(' ');
            // An id that is not 40 hex digits would reach libgit2's ObjectId, which throws for it.
            if (parts.Length < 2 || parts[0].Length != 40 || !parts[0].All(char.IsAsciiHexDigit))
                throw new WireFormatException($"an ls-refs line '{Shorten(text)}'");
            var symref = parts.Skip(2).FirstOrDefault(part => part.StartsWith("symref-target:", StringComparison.Ordinal));
            refs.Add(new RemoteRef(parts[1], parts[0], symref?["symref-target:".Length..]));
            if (refs.Count > maxRefs)
                throw new WireFormatException($"more than {maxRefs} refs");
        }
        if (line.Kind != PktLineKind.Flush)
            throw new WireFormatException("ls-refs did not end with a flush");
        return refs;
    }

    /// <summary>
    /// A fetch of <paramref name="wants"/> by id, done in one request (no negotiation: the caller holds nothing the
    /// server would send again), with <c>deepen</c> and an object <c>filter</c> when given; and of the ref
    /// <paramref name="wantRef"/> by name (<c>want-ref</c>, the fetch feature <c>ref-in-want</c>: the answer's
    /// wanted-refs section says where it is, saving the ls-refs that would have asked).
    /// </summary>
    public static byte[] Fetch(IEnumerable<string> wants, int? deepen, string? filter, string? wantRef = null)
    {
        using var output = new MemoryStream();
        PktLineWriter.WriteText(output, "command=fetch");
        PktLineWriter.WriteText(output, Agent);
        PktLineWriter.WriteDelimiter(output);
        PktLineWriter.WriteText(output, "ofs-delta");
        PktLineWriter.WriteText(output, "no-progress");
        if (deepen is { } depth)
            PktLineWriter.WriteText(output, $"deepen {depth}");
        if (filter is not null)
            PktLineWriter.WriteText(output, "filter " + filter);
        foreach (var want in wants)
            PktLineWriter.WriteText(output, "want " + want);
        if (wantRef is not null)
            PktLineWriter.WriteText(output, "want-ref " + wantRef);
        PktLineWriter.WriteText(output, "done");
        PktLineWriter.WriteFlush(output);
        return output.ToArray();
    }

    /// <summary>The pack in a fetch's answer (<see cref="ParseFetchAnswer"/>).</summary>
    public static byte[] ParseFetch(ReadOnlyMemory<byte> answer) => ParseFetchAnswer(answer).Pack;

    /// <summary>
    /// A fetch's answer: the refs of its wanted-refs section (want-ref), and its pack. Other sections (shallow-info, …)
    /// are skipped, in whatever order they come (git sends wanted-refs before shallow-info, its documentation after);
    /// the packfile's side-band packets are joined (band 1), progress dropped (band 2) and an error (band 3, or ERR) thrown.
    /// </summary>
    public static FetchAnswer ParseFetchAnswer(ReadOnlyMemory<byte> answer)
    {
        var reader = new PktLineReader(answer);
        var wanted = new List<RemoteRef>();
        string? section = null;
        PktLine line;
        while (true)
        {
            line = reader.Read();
            if (line.Kind != PktLineKind.Data)
            {
                if (line.Kind == PktLineKind.Delimiter)
                {
                    section = null;
                    continue;
                }
                throw new WireFormatException("the fetch answer has no packfile section");
            }
            var text = line.Text;
            ThrowIfError(text);
            if (section is null)
            {
                section = text;
                if (section == "packfile") break;
            }
            else if (section == "wanted-refs")
            {
                // A ref is one line: the wanted refs cannot outnumber the request's lines, one.
                var parts = text.Split(' ');
                if (parts.Length != 2 || parts[0].Length != 40 || !parts[0].All(char.IsAsciiHexDigit) || wanted.Count > 0)
                    throw new WireFormatException($"a wanted-refs line '{Shorten(text)}'");
                wanted.Add(new RemoteRef(parts[1], parts[0], null));
            }
        }

        using var pack = new MemoryStream();
        while ((line = reader.Read()).Kind == PktLineKind.Data)
        {
            var payload = line.Payload.Span;
            if (payload.IsEmpty) continue;
            switch (payload[0])
            {
                case 1: pack.Write(payload[1..]); break;
                case 2: break;
                case 3: throw new RemoteRefusedException(Encoding.UTF8.GetString(payload[1..]).Trim());
                default: throw new WireFormatException($"side-band {payload[0]}");
            }
        }
        return new FetchAnswer(wanted, pack.ToArray());
    }

    /// <summary>A server's "ERR …" packet: it refused the request (a want it does not serve, an argument it does not know).</summary>
    internal static void ThrowIfError(string text)
    {
        if (text.StartsWith("ERR ", StringComparison.Ordinal))
            throw new RemoteRefusedException(text[4..].Trim());
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>The server answered with an error of its own (ERR, side-band 3): it refuses what was asked.</summary>
internal sealed class RemoteRefusedException(string message) : Exception(message);
