using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Deploy;

/// <summary>The value rules the tasks apply where a property or variable enters, each with the code that names it.</summary>
[TestClass]
public sealed class InputRuleTests
{
    [TestMethod]
    [DataRow("-1", "GitOpsPushRetries")]
    [DataRow("101", "GitOpsPushRetries")]
    [DataRow("ten", "GitOpsPushRetries")]
    [DataRow("99999999999", "GitOpsPushRetries")]
    [DataRow("0", "GitOpsConfigTimeout")]
    [DataRow("-5", "GitOpsConfigTimeout")]
    [DataRow("3601", "GitOpsConfigTimeout")]
    [DataRow("1.5", "GitOpsConfigTimeout")]
    public void A_number_out_of_its_range_is_GITOPS037_naming_the_property(string value, string property)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            _ = property == "GitOpsPushRetries" ? NumberRule.PushRetries(value) : NumberRule.ConfigTimeoutSeconds(value));

        Assert.AreEqual("GITOPS037", error.Code);
        StringAssert.Contains(error.Message, property);
    }

    [TestMethod]
    public void Numbers_at_the_bounds_and_blank_values_are_accepted()
    {
        Assert.AreEqual(0, NumberRule.PushRetries("0"));
        Assert.AreEqual(100, NumberRule.PushRetries(" 100 "));
        Assert.AreEqual(30, NumberRule.PushRetries(""), "the default, as the targets set it");
        Assert.AreEqual(1, NumberRule.ConfigTimeoutSeconds("1"));
        Assert.AreEqual(3600, NumberRule.ConfigTimeoutSeconds("3600"));
        Assert.AreEqual(300, NumberRule.ConfigTimeoutSeconds(null));
    }

    [TestMethod]
    [DataRow("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [DataRow("sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Digests_of_the_right_length_are_accepted(string digest) =>
        Assert.AreEqual(digest, ProvenanceRule.ValidateDigest(digest));

    [TestMethod]
    [DataRow("0123456")]
    [DataRow("0123456789abcdef0123456789abcdef01234567")]
    [DataRow("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Source_commits_from_an_abbreviation_to_a_full_SHA_are_accepted(string commit) =>
        Assert.AreEqual(commit, ProvenanceRule.ValidateSourceCommit(commit));

    [TestMethod]
    [DataRow("a\nb")]
    [DataRow("a\0b")]
    [DataRow("\u001b[0m")]
    public void A_token_with_a_control_character_is_GITOPS035_and_the_message_does_not_show_it(string token)
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            TextRule.RejectControlCharacters(token, "The environment variable GITOPS_TOKEN"));

        Assert.AreEqual("GITOPS035", error.Code);
        StringAssert.Contains(error.Message, "GITOPS_TOKEN");
        Assert.IsFalse(error.Message.Contains(token, StringComparison.Ordinal));
    }

    [TestMethod]
    public void A_commit_message_may_span_lines_and_hold_tabs() =>
        Assert.IsNotNull(TextRule.RejectControlCharacters("Deploy\n\n\tbody\r\n", "GitOpsCommitMessage", allowLineBreaks: true));
}
