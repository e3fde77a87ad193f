using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// The fifth hostile probe (issue 20), clone route: a real repository (libgit2) whose trees name one subtree twice at
/// each of 64 levels, 2^64 paths in 66 objects. The walk (ConfigTree.Walk) stops at its bound, not at the deadline with
/// every path listed so far held in memory.
/// </summary>
[TestClass]
public sealed class ConfigTreeFanOutTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void A_listing_of_trees_that_name_one_subtree_twice_64_deep_is_GITOPS104()
    {
        var path = TempDirectory.NewPath(null, "gitops-fanout-clone-");
        try
        {
            using var repository = new Repository(Repository.Init(path, isBare: true));
            var blob = repository.ObjectDatabase.CreateBlob(new MemoryStream("image: a\n"u8.ToArray()));
            var inner = repository.ObjectDatabase.CreateTree(new TreeDefinition().Add("x.yaml", blob, Mode.NonExecutableFile));
            for (var depth = 0; depth < 64; depth++)
                inner = repository.ObjectDatabase.CreateTree(new TreeDefinition().Add("a", inner).Add("b", inner));
            var root = repository.ObjectDatabase.CreateTree(new TreeDefinition().Add("apps", inner));
            var tree = new ConfigTree(root, "Start", repository.ObjectDatabase, new Deadline(TimeSpan.FromMinutes(1), CancellationToken.None), "config");

            // Before: the walk listed paths until the deadline (one a minute here), each kept by the caller's ToList.
            var error = Assert.ThrowsExactly<GitOpsException>(() => tree.ListFiles("apps").ToList());

            Assert.AreEqual(Errors.ConfigTreeCorrupt.Code, error.Code, error.Message);
            StringAssert.Contains(error.Message, "more than 100,000 trees under one path read");
        }
        finally
        {
            TempDirectory.TryDelete(path);
        }
    }
}
