namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// Follows one zlib stream (RFC 1950 around RFC 1951 deflate) as its bytes arrive, in pieces of any size, and counts
/// what it inflates to without producing it: a back-reference adds its length, nothing is copied, so metering a pack
/// costs no memory and less time than inflating it. It stops at the stream's last byte (the Adler-32, which it does not
/// check: whoever inflates the data does) and says how many of the bytes given were the stream's: in a pack the next
/// object follows. It fails as soon as the count passes <c>maxOutput</c>, so a stream that inflates past what its
/// object declares is stopped after a few bytes, whatever it would have grown to. .NET's inflater can do neither (it
/// reads ahead, and only inflates). The first <c>keep</c> bytes of output are kept (a delta's header).
/// </summary>
/// <remarks>The decoder follows zlib's "puff" (a bit at a time): no table lookup reads past the stream's end.</remarks>
internal sealed class InflateMeter
{
    // The largest step that must be whole to be taken: a dynamic block's header (at most ~570 bytes).
    private const int MaxCarry = 1024;

    private static readonly short[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly byte[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly byte[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    private static readonly (Huffman Lengths, Huffman Distances) Fixed = FixedCodes();

    private readonly long maxOutput;
    private readonly byte[] head;
    private byte[] carry = [];
    private int bitBuffer;
    private int bitCount;
    private State state = State.ZlibHeader;
    private bool lastBlock;
    private int storedLeft;
    private Huffman lengthCode = Fixed.Lengths;
    private Huffman distanceCode = Fixed.Distances;

    /// <param name="maxOutput">The most the stream may inflate to; one byte more fails.</param>
    /// <param name="keep">How many bytes of output to keep (<see cref="Head"/>).</param>
    public InflateMeter(long maxOutput, int keep = 0)
    {
        this.maxOutput = maxOutput;
        head = new byte[keep];
    }

    private enum State { ZlibHeader, BlockHeader, Stored, Codes, Trailer, Done }

    /// <summary>What the stream inflated to so far.</summary>
    public long Output { get; private set; }

    /// <summary>True once the stream's last byte was read.</summary>
    public bool Finished => state == State.Done;

    /// <summary>The first bytes of output (up to the <c>keep</c> given), as far as they are known.</summary>
    public ReadOnlySpan<byte> Head => head.AsSpan(0, (int)Math.Min(Output, head.Length));

    /// <summary>Takes the next bytes of the stream; returns how many of them were its own (all, unless it ended inside them).</summary>
    /// <exception cref="InvalidDataException">Not a zlib stream.</exception>
    /// <exception cref="PackBoundException">It inflates past <c>maxOutput</c>.</exception>
    public int Feed(ReadOnlySpan<byte> data)
    {
        if (state == State.Done) return 0;
        var source = new Source(carry, data);
        var stepStart = 0;
        var (savedBuffer, savedCount) = (bitBuffer, bitCount);
        while (state != State.Done && Step(ref source))
        {
            stepStart = source.Position;
            (savedBuffer, savedCount) = (bitBuffer, bitCount);
        }

        if (state == State.Done)
        {
            carry = [];
            // The stream ends inside data: a step that needed data cannot have ended in the carry.
            return source.Position - source.Carry.Length;
        }
        // The step that ran out of bytes is taken again, whole, with the next ones.
        (bitBuffer, bitCount) = (savedBuffer, savedCount);
        var left = source.Length - stepStart;
        if (left > MaxCarry)
            throw new InvalidDataException("a deflate block header longer than deflate allows");
        var next = new byte[left];
        for (var i = 0; i < left; i++)
            next[i] = source[stepStart + i];
        carry = next;
        return data.Length;
    }

    // One whole step (a header, a symbol, a piece of a stored block); false when the bytes ran out first.
    private bool Step(ref Source source)
    {
        switch (state)
        {
            case State.ZlibHeader:
                if (source.Left < 2) return false;
                int cmf = source.Next(), flg = source.Next();
                if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0)
                    throw new InvalidDataException("not a zlib header");
                state = State.BlockHeader;
                return true;
            case State.BlockHeader:
                return BlockHeader(ref source);
            case State.Stored:
                var take = Math.Min(storedLeft, source.Left);
                if (take == 0) return false;
                for (var i = 0; i < take; i++)
                {
                    var b = source.Next();
                    if (Output + i < head.Length) head[Output + i] = b;
                }
                Produce(take);
                storedLeft -= take;
                if (storedLeft == 0) state = lastBlock ? State.Trailer : State.BlockHeader;
                return true;
            case State.Codes:
                return Symbol(ref source);
            case State.Trailer:
                // The Adler-32, on a byte boundary.
                bitBuffer = bitCount = 0;
                if (source.Left < 4) return false;
                source.Position += 4;
                state = State.Done;
                return true;
            default:
                return false;
        }
    }

    private bool BlockHeader(ref Source source)
    {
        if (!Bits(ref source, 3, out var header)) return false;
        lastBlock = (header & 1) != 0;
        switch (header >> 1)
        {
            case 0:
                bitBuffer = bitCount = 0;
                if (source.Left < 4) return false;
                int length = source.Next() | (source.Next() << 8), complement = source.Next() | (source.Next() << 8);
                if (length != (~complement & 0xffff))
                    throw new InvalidDataException("a stored block whose length and complement differ");
                storedLeft = length;
                state = length == 0 ? (lastBlock ? State.Trailer : State.BlockHeader) : State.Stored;
                return true;
            case 1:
                (lengthCode, distanceCode) = Fixed;
                state = State.Codes;
                return true;
            case 2:
                if (!DynamicCodes(ref source)) return false;
                state = State.Codes;
                return true;
            default:
                throw new InvalidDataException("a deflate block of type 3");
        }
    }

    private bool DynamicCodes(ref Source source)
    {
        if (!Bits(ref source, 5, out var lengthCount) || !Bits(ref source, 5, out var distanceCount) || !Bits(ref source, 4, out var codeCount))
            return false;
        lengthCount += 257;
        distanceCount += 1;
        codeCount += 4;
        if (lengthCount > 286 || distanceCount > 30)
            throw new InvalidDataException("a dynamic block with too many codes");
        var lengths = new byte[320];
        for (var i = 0; i < codeCount; i++)
        {
            if (!Bits(ref source, 3, out var value)) return false;
            lengths[CodeLengthOrder[i]] = (byte)value;
        }
        var codeLengthCode = Huffman.Build(lengths.AsSpan(0, 19));
        for (var index = 0; index < lengthCount + distanceCount;)
        {
            var symbol = Decode(ref source, codeLengthCode);
            if (symbol < 0) return false;
            if (symbol < 16)
            {
                lengths[index++] = (byte)symbol;
                continue;
            }
            byte repeated = 0;
            int times;
            if (symbol == 16)
            {
                if (index == 0) throw new InvalidDataException("a repeat with nothing to repeat");
                repeated = lengths[index - 1];
                if (!Bits(ref source, 2, out times)) return false;
                times += 3;
            }
            else if (symbol == 17)
            {
                if (!Bits(ref source, 3, out times)) return false;
                times += 3;
            }
            else
            {
                if (!Bits(ref source, 7, out times)) return false;
                times += 11;
            }
            if (index + times > lengthCount + distanceCount)
                throw new InvalidDataException("code lengths past their count");
            while (times-- > 0)
                lengths[index++] = repeated;
        }
        if (lengths[256] == 0)
            throw new InvalidDataException("a dynamic block without an end-of-block code");
        lengthCode = Huffman.Build(lengths.AsSpan(0, lengthCount));
        distanceCode = Huffman.Build(lengths.AsSpan(lengthCount, distanceCount));
        return true;
    }

    // A literal, the end of the block, or a length and its distance.
    private bool Symbol(ref Source source)
    {
        var symbol = Decode(ref source, lengthCode);
        if (symbol < 0) return false;
        if (symbol < 256)
        {
            if (Output < head.Length) head[Output] = (byte)symbol;
            Produce(1);
            return true;
        }
        if (symbol == 256)
        {
            state = lastBlock ? State.Trailer : State.BlockHeader;
            return true;
        }
        symbol -= 257;
        if (symbol >= LengthBase.Length)
            throw new InvalidDataException("an invalid length code");
        if (!Bits(ref source, LengthExtra[symbol], out var extra)) return false;
        var length = LengthBase[symbol] + extra;
        var distanceSymbol = Decode(ref source, distanceCode);
        if (distanceSymbol < 0) return false;
        if (distanceSymbol >= DistanceBase.Length)
            throw new InvalidDataException("an invalid distance code");
        if (!Bits(ref source, DistanceExtra[distanceSymbol], out extra)) return false;
        var distance = DistanceBase[distanceSymbol] + extra;
        if (distance > Output)
            throw new InvalidDataException("a distance too far back");
        for (var i = Output; i < head.Length && i < Output + length; i++)
            head[i] = head[i - distance];
        Produce(length);
        return true;
    }

    private void Produce(long bytes)
    {
        Output += bytes;
        if (Output > maxOutput)
            throw new PackBoundException($"inflates past the {maxOutput:N0} bytes its header declares");
    }

    private bool Bits(ref Source source, int count, out int value)
    {
        while (bitCount < count)
        {
            if (source.Left == 0)
            {
                value = 0;
                return false;
            }
            bitBuffer |= source.Next() << bitCount;
            bitCount += 8;
        }
        value = bitBuffer & ((1 << count) - 1);
        bitBuffer >>= count;
        bitCount -= count;
        return true;
    }

    // Canonical Huffman codes are read a bit at a time, first bit highest; -1 when the bytes ran out.
    private int Decode(ref Source source, Huffman code)
    {
        int bits = 0, first = 0, index = 0;
        for (var length = 1; length <= Huffman.MaxBits; length++)
        {
            if (!Bits(ref source, 1, out var bit)) return -1;
            bits |= bit;
            var count = code.Count[length];
            if (bits - count < first)
                return code.Symbol[index + (bits - first)];
            index += count;
            first = (first + count) << 1;
            bits <<= 1;
        }
        throw new InvalidDataException("a code that is not in its table");
    }

    private static (Huffman, Huffman) FixedCodes()
    {
        var lengths = new byte[288];
        lengths.AsSpan(0, 144).Fill(8);
        lengths.AsSpan(144, 112).Fill(9);
        lengths.AsSpan(256, 24).Fill(7);
        lengths.AsSpan(280, 8).Fill(8);
        var distances = new byte[30];
        distances.AsSpan().Fill(5);
        return (Huffman.Build(lengths), Huffman.Build(distances));
    }

    /// <summary>A canonical Huffman code as puff keeps it: how many codes of each length, and the symbols in code order.</summary>
    private sealed class Huffman
    {
        public const int MaxBits = 15;

        public short[] Count { get; } = new short[MaxBits + 1];

        public short[] Symbol { get; private init; } = [];

        /// <summary>An over-subscribed code is invalid; an incomplete one is taken (a code it lacks fails when read).</summary>
        public static Huffman Build(ReadOnlySpan<byte> lengths)
        {
            var code = new Huffman { Symbol = new short[lengths.Length] };
            foreach (var length in lengths)
                code.Count[length]++;
            var left = 1;
            for (var length = 1; length <= MaxBits; length++)
            {
                left = (left << 1) - code.Count[length];
                if (left < 0)
                    throw new InvalidDataException("an over-subscribed Huffman code");
            }
            var offsets = new int[MaxBits + 2];
            for (var length = 1; length <= MaxBits; length++)
                offsets[length + 1] = offsets[length] + code.Count[length];
            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != 0)
                    code.Symbol[offsets[lengths[symbol]]++] = (short)symbol;
            }
            return code;
        }
    }

    /// <summary>What a step reads from: the bytes carried from the last <see cref="Feed"/>, then the new ones.</summary>
    private ref struct Source(ReadOnlySpan<byte> carry, ReadOnlySpan<byte> data)
    {
        public readonly ReadOnlySpan<byte> Carry = carry;
        private readonly ReadOnlySpan<byte> data = data;

        public int Position;

        public readonly int Length => Carry.Length + data.Length;

        public readonly int Left => Length - Position;

        public readonly byte this[int index] => index < Carry.Length ? Carry[index] : data[index - Carry.Length];

        public byte Next() => this[Position++];
    }
}
