using GitOps.Build.ConfigRepo.Wire;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// The pack checks of both readers: the scanner that follows a pack streaming to libgit2 and <see cref="PackReader"/>
/// (the treeless clone) refuse each kind of delta bomb at its header, and take git's own packs whole.
/// </summary>
[TestClass]
public sealed class PackScannerTests
{
    private static readonly PackBounds Bounds = PackBounds.For(2L << 20, 1_000_000);

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["(a) a delta claiming 8 GiB"] = "a result of 8,589,934,592 bytes",
        ["(b) a chain of deltas doubling to 1 GiB"] = "a result of 4,194,304 bytes",
        ["(c) a blob inflating past its declared size"] = "inflates past the 16 bytes its header declares",
        ["(d) a blob declaring 8 GiB"] = "declares 8,589,934,592 bytes",
        ["(e) results adding up past four times the bound"] = "more than 8,388,608 bytes in all",
        ["(f) a chain deeper than git writes"] = "a chain of more than 4,095 deltas",
    };

    public static IEnumerable<object[]> Bombs() => Expected.Keys.Select(name => new object[] { name });

    [TestMethod]
    [DynamicData(nameof(Bombs))]
    public void The_scanner_refuses_a_bomb_at_its_header_in_pieces_of_any_size(string name)
    {
        var (pack, expected) = (BombPack.Kinds[name](), Expected[name]);
        foreach (var piece in new[] { 1, 1000, 65536 })
        {
            var scanner = new PackScanner(Bounds);
            var error = Assert.ThrowsExactly<PackBoundException>(() =>
            {
                for (var at = 0; at < pack.Length; at += piece)
                    scanner.Feed(pack.AsSpan(at, Math.Min(piece, pack.Length - at)));
            }, name);
            StringAssert.Contains(error.Message, expected, name);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Bombs))]
    public void The_treeless_reader_refuses_a_bomb_before_allocating_it(string name)
    {
        var (pack, expected) = (BombPack.Kinds[name](), Expected[name]);
        var error = Assert.ThrowsExactly<PackBoundException>(() => PackReader.Read(pack, Bounds), name);

        StringAssert.Contains(error.Message, expected, name);
    }

    [TestMethod]
    public void Git_s_packs_with_both_kinds_of_delta_pass_whole()
    {
        var versions = Enumerable.Range(0, 10).Select(version => (Action<string>)(work =>
            WireRepository.Write(work, "values.yaml", string.Concat(Enumerable.Range(0, 400).Select(line => $"key{line}: {(line == version * 7 ? $"changed in {version}" : "value")}\n")))));
        using var repository = WireRepository.Create(versions.ToArray());
        foreach (var offsets in new[] { true, false })
        {
            var arguments = new List<string> { "pack-objects", "--stdout", "--revs", "--no-reuse-delta" };
            if (offsets) arguments.Add("--delta-base-offset");
            var pack = GitCli.RunBytes(repository.Path, "main\n"u8.ToArray(), null, arguments.ToArray());

            foreach (var piece in new[] { 1, 13, pack.Length })
            {
                var scanner = new PackScanner(Bounds);
                for (var at = 0; at < pack.Length; at += piece)
                    scanner.Feed(pack.AsSpan(at, Math.Min(piece, pack.Length - at)));
                Assert.IsTrue(scanner.Done, $"piece {piece}: every object was followed to its end");
                Assert.AreEqual((uint)PackReader.Read(pack, Bounds).Count, scanner.Count);
            }
        }
    }

    [TestMethod]
    public void A_chain_as_deep_as_git_writes_passes()
    {
        var pack = BombPack.DeepChain(PackBounds.MaxDeltaDepth);
        var scanner = new PackScanner(Bounds);

        scanner.Feed(pack);

        Assert.IsTrue(scanner.Done);
        Assert.AreEqual(PackBounds.MaxDeltaDepth + 1, PackReader.Read(pack, Bounds).Count);
    }
}
