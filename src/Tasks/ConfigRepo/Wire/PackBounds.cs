namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// What a pack may make its reader hold, derived from the bytes the pack itself may take (<c>packBytes</c>): no object,
/// delta or delta result larger than that; no more than <see cref="TotalRatio"/> times that in all (the objects and
/// delta data inflated, and the deltas' results); no delta chain deeper than <see cref="MaxDeltaDepth"/>. A pack is a
/// few bytes that its reader turns into as many as its headers say: a delta of a few hundred bytes can claim a result of
/// gigabytes, a chain of deltas double a base at each link, and a zlib stream inflate a thousandfold. Checked on the
/// headers, before anything is allocated, these bounds stop such a "delta bomb"; a repository of YAML is far inside them.
/// </summary>
internal sealed record PackBounds(long MaxObjectBytes, long MaxTotalBytes, uint MaxObjects)
{
    /// <summary>The inflated whole may be this many times the pack's bound (YAML compresses less than tenfold, and a pack this large is already rare).</summary>
    public const int TotalRatio = 4;

    /// <summary>git pack-objects writes no deeper chain (it clamps <c>--depth</c> to 4095).</summary>
    public const int MaxDeltaDepth = 4095;

    public static PackBounds For(long packBytes, uint maxObjects) =>
        new(packBytes, packBytes > long.MaxValue / TotalRatio ? long.MaxValue : packBytes * TotalRatio, maxObjects);
}

/// <summary>A pack that would make its reader hold more than <see cref="PackBounds"/> allow: not corrupt, hostile.</summary>
/// <param name="message">What it declares, and the bound.</param>
/// <param name="objectCount">True when what is too large is the number of objects the pack declares.</param>
internal sealed class PackBoundException(string message, bool objectCount = false) : Exception(message)
{
    public bool ObjectCount { get; } = objectCount;
}
