using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [TestMethod]
    [DataRow("nginx", null, "nginx", null, null)]
    [DataRow("nginx:1.27", null, "nginx", "1.27", null)]
    [DataRow("team/myapp:a1b2c3d", null, "team/myapp", "a1b2c3d", null)]
    [DataRow("registry.example.com/team/myapp", "registry.example.com", "team/myapp", null, null)]
    [DataRow("localhost:5000/x", "localhost:5000", "x", null, null)]
    [DataRow("localhost/x:v1", "localhost", "x", "v1", null)]
    [DataRow("127.0.0.1:5000/team/myapp:a1b2c3d", "127.0.0.1:5000", "team/myapp", "a1b2c3d", null)]
    [DataRow("Registry.Example.COM/a/b/c:V_1.0-rc", "Registry.Example.COM", "a/b/c", "V_1.0-rc", null)]
    [DataRow("ghcr.io/org/app@" + Sha, "ghcr.io", "org/app", null, Sha)]
    [DataRow("ghcr.io/org/app:v2@" + Sha, "ghcr.io", "org/app", "v2", Sha)]
    [DataRow("my-registry:443/my_app__x/a.b-c", "my-registry:443", "my_app__x/a.b-c", null, null)]
    public void Parse_SplitsParts(string text, string? registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.AreEqual(new ImageReference(registry, repository, tag, digest), reference);
        Assert.AreEqual(text, reference.ToString());
    }

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow(" nginx", "white space")]
    [DataRow("Team/MyApp", "lower case")]
    [DataRow("registry.example.com/Team/app", "lower case")]
    [DataRow("nginx:-bad", "tag")]
    [DataRow("nginx:" + "a12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678", "tag")]
    [DataRow("nginx@sha256:abc", "digest")]
    [DataRow("nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "digest")]
    [DataRow("team//app", "component")]
    [DataRow("team/app-", "component")]
    [DataRow("bad_host.com/app", "registry")]
    [DataRow("{{.values.image}}", "component")]
    [DataRow("${IMAGE}", "lower case")]
    public void Parse_RejectsInvalidText_WithReason(string text, string reasonPart)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => ImageReference.Parse(text));

        Assert.AreEqual(Errors.ImageReferenceInvalid, error.Error);
        StringAssert.Contains(error.Message, reasonPart);
        Assert.IsFalse(ImageReference.TryParse(text, out var reference));
        Assert.IsNull(reference);
    }

    [TestMethod]
    [DataRow("nginx", "docker.io/library/nginx")]
    [DataRow("docker.io/library/nginx:1.0", "docker.io/library/nginx")]
    [DataRow("docker.io/nginx", "docker.io/library/nginx")]
    [DataRow("index.docker.io/library/nginx", "docker.io/library/nginx")]
    [DataRow("team/myapp", "docker.io/team/myapp")]
    [DataRow("Registry.Example.com/team/myapp", "registry.example.com/team/myapp")]
    [DataRow("LOCALHOST:5000/x", "localhost:5000/x")]
    [DataRow("registry.example.com/nginx", "registry.example.com/nginx")]
    public void NormalizedRepository_AppliesDockerHubDefaultsAndHostCase(string text, string expected) =>
        Assert.AreEqual(expected, ImageReference.Parse(text).NormalizedRepository);

    [TestMethod]
    [DataRow("docker.io/library/nginx", "nginx:1.27")]
    [DataRow("nginx@" + Sha, "docker.io/nginx:latest")]
    [DataRow("Registry.Example.com/team/myapp:a", "registry.example.com/team/myapp:b")]
    [DataRow("localhost:5000/x", "localhost:5000/x:v1")]
    public void HasSameRepository_True(string a, string b)
    {
        Assert.IsTrue(ImageReference.Parse(a).HasSameRepository(ImageReference.Parse(b)));
        Assert.IsTrue(ImageReference.Parse(b).HasSameRepository(ImageReference.Parse(a)));
    }

    [TestMethod]
    [DataRow("team/myapp", "team/myapp-worker")]
    [DataRow("team/myapp", "other/myapp")]
    [DataRow("localhost:5000/x", "localhost:5001/x")]
    [DataRow("localhost:5000/x", "localhost/x")]
    [DataRow("registry.example.com/team/myapp", "team/myapp")]
    [DataRow("nginx", "quay.io/nginx")]
    public void HasSameRepository_False(string a, string b)
    {
        Assert.IsFalse(ImageReference.Parse(a).HasSameRepository(ImageReference.Parse(b)));
        Assert.IsFalse(ImageReference.Parse(b).HasSameRepository(ImageReference.Parse(a)));
    }

    [TestMethod]
    public void WithTag_and_WithDigest_replace_only_that_part()
    {
        var reference = ImageReference.Parse("Registry.Example.com/team/myapp:old");

        Assert.AreEqual("Registry.Example.com/team/myapp:new", reference.WithTag("new").ToString());
        Assert.AreEqual("Registry.Example.com/team/myapp", reference.WithTag(null).ToString());
        Assert.AreEqual("Registry.Example.com/team/myapp:old@" + Sha, reference.WithDigest(Sha).ToString());
        Assert.AreEqual("Registry.Example.com/team/myapp", reference.Name);
    }
}
