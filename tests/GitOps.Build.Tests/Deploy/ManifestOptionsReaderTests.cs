using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class ManifestOptionsReaderTests
{
    private static ManifestTarget Read(params (string Name, string Value)[] metadata) =>
        ManifestOptionsReader.Read("values.yaml", name => metadata.FirstOrDefault(m => m.Name == name).Value, ImageReferenceFormat.TagAndDigest);

    [TestMethod]
    public void Unset_metadata_gives_the_defaults()
    {
        var options = Read().Options;

        Assert.IsNull(options.Format);
        Assert.IsNull(options.ContainerName);
        Assert.IsFalse(options.AddIfMissing);
        Assert.AreEqual(ImageReferenceFormat.TagAndDigest, options.ReferenceFormat);
        Assert.AreEqual(new HelmImageKeys(), options.HelmKeys);
    }

    [TestMethod]
    public void Every_metadata_name_reaches_its_option()
    {
        var options = Read(("Container", "web"), ("Format", "helm"), ("AddIfMissing", "True"), ("ImagePolicy", "flux-system:web"),
            ("ValuePath", "web.image.tag"), ("RepositoryKey", "repo"), ("TagKey", "version"), ("RegistryKey", "host"), ("DigestKey", "sha")).Options;

        Assert.AreEqual("web", options.ContainerName);
        Assert.AreEqual(ManifestFormat.Helm, options.Format);
        Assert.IsTrue(options.AddIfMissing);
        Assert.AreEqual("flux-system:web", options.ImagePolicy);
        Assert.AreEqual("web.image.tag", options.ValuePath);
        Assert.AreEqual(new HelmImageKeys { Repository = "repo", Tag = "version", Registry = "host", Digest = "sha" }, options.HelmKeys);
    }

    [TestMethod]
    public void An_unknown_format_fails_with_GITOPS016_listing_the_choices()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Read(("Format", "Jsonnet")));

        Assert.AreEqual("GITOPS016", error.Code);
        StringAssert.Contains(error.Message, "Kubernetes, Kustomize, Helm, Marker");
    }

    [TestMethod]
    public void A_non_boolean_AddIfMissing_fails_with_GITOPS008() =>
        Assert.AreEqual("GITOPS008", Assert.ThrowsExactly<GitOpsException>(() => Read(("AddIfMissing", "yes"))).Code);

    [TestMethod]
    public void MetadataNames_lists_exactly_the_metadata_read_so_a_release_entry_carries_all_of_it()
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);

        ManifestOptionsReader.Read("apps/web/deployment.yaml", name => { asked.Add(name); return null; }, ImageReferenceFormat.Tag);

        CollectionAssert.AreEquivalent(asked.ToArray(), ManifestOptionsReader.MetadataNames.ToArray());
    }
}
