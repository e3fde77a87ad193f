using System.Text.Json;
using GitOps.Build.Tasks;

namespace GitOps.Build.Tests.Tasks;

[TestClass]
public sealed class ReleaseEntryTests
{
    [TestMethod]
    public void An_entry_read_back_from_its_file_has_every_input_and_every_manifest_metadata()
    {
        var entry = new ReleaseEntry
        {
            ConfigRepository = "https://git.example.com/config.git",
            ConfigBranch = "main",
            Image = "registry.example.com/team/web:abc1234",
            ImageDigest = "sha256:" + new string('a', 64),
            ProjectPath = "Web.csproj",
            CommitAuthorName = "CI",
            TimeoutSeconds = "120",
            Manifests =
            [
                new ReleaseManifest("apps/web/values.yaml", new Dictionary<string, string> { ["Format"] = "Helm", ["ValuePath"] = "web.image.tag" }),
                new ReleaseManifest("apps/web/deployment.yaml", []),
            ],
        };

        var read = JsonSerializer.Deserialize<ReleaseEntry>(JsonSerializer.Serialize(entry, WriteReleaseEntry.Json), WriteReleaseEntry.Json)!;

        List<ReleaseManifest> none = [];
        Assert.AreEqual(entry with { Manifests = none }, read with { Manifests = none }, "every string input");
        Assert.AreEqual(2, read.Manifests.Count);
        Assert.AreEqual("apps/web/values.yaml", read.Manifests[0].Path);
        CollectionAssert.AreEquivalent(entry.Manifests[0].Metadata.ToArray(), read.Manifests[0].Metadata.ToArray());
        Assert.AreEqual(0, read.Manifests[1].Metadata.Count);
    }
}
