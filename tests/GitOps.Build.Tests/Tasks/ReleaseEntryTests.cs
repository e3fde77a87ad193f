using System.Text.Json;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Tasks;

[TestClass]
public sealed class ReleaseEntryTests
{
    private static ReleaseEntry Entry() => new(
        new ConfigInputText
        {
            ConfigRepository = "https://git.example.com/config.git",
            ConfigBranch = "main",
            DeployBranch = "main",
            CommitAuthorName = "CI",
            TimeoutSeconds = "120",
            Manifests =
            [
                new ReleaseManifest("apps/web/values.yaml", new Dictionary<string, string> { ["Format"] = "Helm", ["ValuePath"] = "web.image.tag" }),
                new ReleaseManifest("apps/web/deployment.yaml", []),
            ],
        },
        new ImageText("registry.example.com/team/web:abc1234", "sha256:" + new string('a', 64), null, null, "Web.csproj"));

    [TestMethod]
    public void An_entry_read_back_from_its_file_has_every_input_and_every_manifest_metadata()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-entry-test-").FullName;
        try
        {
            var entry = Entry();
            ReleaseEntryFile.Write(directory, "Web.csproj", entry);

            var read = ReleaseEntryFile.ReadAll(directory).Single();

            List<ReleaseManifest> none = [];
            Assert.AreEqual(entry.Inputs with { Manifests = none }, read.Inputs with { Manifests = none }, "every string input");
            Assert.AreEqual(entry.Image, read.Image);
            Assert.AreEqual(2, read.Inputs.Manifests.Count);
            Assert.AreEqual("apps/web/values.yaml", read.Inputs.Manifests[0].Path);
            CollectionAssert.AreEquivalent(entry.Inputs.Manifests[0].Metadata.ToArray(), read.Inputs.Manifests[0].Metadata.ToArray());
            Assert.AreEqual(0, read.Inputs.Manifests[1].Metadata.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void An_entry_that_is_not_JSON_is_GITOPS110_not_a_stack_trace()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-entry-test-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "Web-0123.json"), "{ not json");

            var error = Assert.ThrowsExactly<GitOpsException>(() => ReleaseEntryFile.ReadAll(directory));

            Assert.AreEqual("GITOPS110", error.Code);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void A_FIFO_in_the_release_directory_is_GITOPS110_not_a_blocked_build()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-entry-test-").FullName;
        try
        {
            ReleaseEntryFile.Write(directory, "Api.csproj", Entry());
            using var fifo = TestFifo.Create(Path.Combine(directory, "Web-0123.json"));

            var error = Assert.ThrowsExactly<GitOpsException>(() => TestFifo.Bounded(() => ReleaseEntryFile.ReadAll(directory)));

            Assert.AreEqual("GITOPS110", error.Code, error.Message);
            StringAssert.Contains(error.Message, "Web-0123.json");
            StringAssert.Contains(error.Message, "not a regular file");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void An_entry_changed_after_its_project_wrote_it_is_GITOPS111()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-entry-test-").FullName;
        try
        {
            var path = ReleaseEntryFile.Write(directory, "Web.csproj", Entry());
            // Another image, still a well-formed entry: only the checksum in the name tells.
            File.WriteAllText(path, File.ReadAllText(path).Replace("web:abc1234", "web:evil999", StringComparison.Ordinal));

            var error = Assert.ThrowsExactly<GitOpsException>(() => ReleaseEntryFile.ReadAll(directory));

            Assert.AreEqual("GITOPS111", error.Code);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
