using System.Text;

namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>One pkt-line of git's wire protocol: data, or one of the special packets (0000, 0001, 0002).</summary>
internal readonly record struct PktLine(PktLineKind Kind, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The payload as text, without its trailing newline.</summary>
    public string Text => Encoding.UTF8.GetString(Payload.Span).TrimEnd('\n');
}

internal enum PktLineKind
{
    Data,
    Flush,
    Delimiter,
    ResponseEnd,
}

/// <summary>Writes pkt-lines: four hex digits of length (themselves included), then the payload.</summary>
internal static class PktLineWriter
{
    /// <summary>The largest payload a pkt-line carries (65520 bytes in all).</summary>
    public const int MaxPayload = 65516;

    public static void WriteText(Stream output, string line) => WriteData(output, Encoding.UTF8.GetBytes(line + "\n"));

    public static void WriteData(Stream output, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
            throw new ArgumentException($"a pkt-line holds at most {MaxPayload} bytes", nameof(payload));
        output.Write(Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4")));
        output.Write(payload);
    }

    public static void WriteFlush(Stream output) => output.Write("0000"u8);

    public static void WriteDelimiter(Stream output) => output.Write("0001"u8);
}

/// <summary>Reads pkt-lines from a server's whole answer (already bounded in size by the transport).</summary>
internal sealed class PktLineReader(ReadOnlyMemory<byte> input)
{
    private int position;

    public bool AtEnd => position >= input.Length;

    /// <summary>What follows the pkt-lines read so far (a v0 push answer's raw rest, for instance).</summary>
    public ReadOnlyMemory<byte> Rest => input[position..];

    /// <summary>The next pkt-line; a malformed one is the server's fault (<see cref="WireFormatException"/>).</summary>
    public PktLine Read()
    {
        if (input.Length - position < 4)
            throw new WireFormatException(AtEnd ? "the answer ended before its last packet" : "a truncated packet length");
        var header = input.Span.Slice(position, 4);
        if (!int.TryParse(Encoding.ASCII.GetString(header), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var length))
            throw new WireFormatException($"an invalid packet length '{Printable(header)}'");
        position += 4;
        switch (length)
        {
            case 0: return new PktLine(PktLineKind.Flush, default);
            case 1: return new PktLine(PktLineKind.Delimiter, default);
            case 2: return new PktLine(PktLineKind.ResponseEnd, default);
            case 3: throw new WireFormatException("an invalid packet length 0003");
        }
        if (length - 4 > input.Length - position)
            throw new WireFormatException("a packet longer than the answer");
        var payload = input.Slice(position, length - 4);
        position += length - 4;
        return new PktLine(PktLineKind.Data, payload);
    }

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        new(Encoding.ASCII.GetString(bytes).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

/// <summary>The server's answer does not follow git's wire protocol (or a pack is corrupt).</summary>
internal class WireFormatException(string message) : Exception(message);
