using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class ImageTagRuleTests
{
    [TestMethod]
    [DataRow("a1b2c3d")]
    [DataRow("v1.2.3-rc_1")]
    [DataRow("_underscore")]
    [DataRow("UPPER")]
    public void Valid_tags_pass(string tag) => Assert.AreEqual(tag, ImageTagRule.Validate(tag));

    [TestMethod]
    [DataRow("-leading-dash")]
    [DataRow(".leading-dot")]
    [DataRow("has space")]
    [DataRow("slash/tag")]
    [DataRow("colon:tag")]
    [DataRow("at@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [DataRow("dollar$")]
    [DataRow("ünïcode")]
    public void Invalid_tags_fail_with_GITOPS014(string tag)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => ImageTagRule.Validate(tag));

        Assert.AreEqual("GITOPS014", error.Code);
        StringAssert.Contains(error.Message, "GitOpsImageTag");
    }

    [TestMethod]
    public void A_tag_of_128_characters_passes_and_of_129_fails()
    {
        ImageTagRule.Validate(new string('a', 128));

        Assert.AreEqual("GITOPS014", Assert.ThrowsExactly<GitOpsException>(() => ImageTagRule.Validate(new string('a', 129))).Code);
    }
}
