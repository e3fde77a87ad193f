using GitOps.Build.Diagnostics;
namespace GitOps.Build.Deploy;

/// <summary>
/// Every value of a <see cref="DeploymentRequest"/> that reaches libgit2 or a commit checked before any network
/// round trip, each failure with a code that names its property. (The image reference is checked when parsed, the
/// config repository by the task before it is parsed.)
/// </summary>
internal static class DeploymentRequestRules
{
    /// <exception cref="Diagnostics.GitOpsException">The first value that is not acceptable.</exception>
    public static void Validate(DeploymentRequest request)
    {
        BranchNameRule.ValidateConfigBranch(request.ConfigBranch);
        TextRule.RejectControlCharacters(request.CommitMessageTemplate, "GitOpsCommitMessage", allowLineBreaks: true);
        TextRule.RejectControlCharacters(request.PushBranchTemplate, "GitOpsConfigPushBranch");
        TextRule.ValidateIdentity(request.AuthorName, "GitOpsCommitAuthorName");
        TextRule.ValidateIdentity(request.AuthorEmail, "GitOpsCommitAuthorEmail");

        var facts = request.Facts;
        ProvenanceRule.ValidateDigest(facts.ImageDigest);
        ProvenanceRule.ValidateSourceCommit(facts.SourceCommit);
        TextRule.RejectControlCharacters(facts.SourceRepository, "GitOpsSourceRepositoryUrl");
        TextRule.RejectControlCharacters(facts.Project, "the project file name");
        TextRule.RejectControlCharacters(facts.BuildUrl, "the CI system's build URL variable");
    }
}
