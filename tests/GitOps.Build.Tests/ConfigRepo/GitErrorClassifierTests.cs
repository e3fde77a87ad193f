using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class GitErrorClassifierTests
{
    [TestMethod]
    [DataRow("too many redirects or authentication replays", nameof(GitFailure.AuthenticationFailed))]
    [DataRow("remote authentication required but no callback set", nameof(GitFailure.AuthenticationFailed))]
    [DataRow("unexpected http status code: 401", nameof(GitFailure.AuthenticationFailed))]
    [DataRow("unexpected http status code: 403", nameof(GitFailure.Forbidden))]
    [DataRow("unexpected http status code: 404", nameof(GitFailure.RepositoryNotFound))]
    [DataRow("An error occurred while sending the request.: The response ended prematurely. (ResponseEnded)", nameof(GitFailure.Unreachable))]
    [DataRow("failed to resolve path '/srv/config.git': No such file or directory", nameof(GitFailure.RepositoryNotFound))]
    [DataRow("failed to connect to 127.0.0.1: Connection refused", nameof(GitFailure.Unreachable))]
    [DataRow("failed to resolve address for git.invalid: Name or service not known", nameof(GitFailure.Unreachable))]
    [DataRow("failed to send request: The operation timed out", nameof(GitFailure.Unreachable))]
    [DataRow("unexpected http status code: 503", nameof(GitFailure.Unreachable))]
    [DataRow("unexpected EOF", nameof(GitFailure.Unreachable))]
    [DataRow("object not found - no match for id (5f1c0a)", nameof(GitFailure.Conflict))]
    public void Classifies_libgit2_messages(string message, string expected) =>
        Assert.AreEqual(expected, GitErrorClassifier.Classify(new LibGit2SharpException(message)).ToString());

    [TestMethod]
    public void Classifies_by_exception_type()
    {
        Assert.AreEqual(GitFailure.Conflict, GitErrorClassifier.Classify(new NonFastForwardException("cannot push non-fastforwardable reference")));
        Assert.AreEqual(GitFailure.Cancelled, GitErrorClassifier.Classify(new UserCancelledException("user cancelled")));
    }

    [TestMethod]
    public void A_commit_missing_from_the_shallow_clone_is_a_race()
    {
        // As Repository.Clone threw it when the server advertised HEAD at the tip before a concurrent push.
        var clone = new NotFoundException("object not found - no match for id (2cc33cc968a8ea4c62f6eaa30f17c306b6e70c53)");

        Assert.AreEqual(GitFailure.Conflict, GitErrorClassifier.Classify(clone));
        Assert.AreEqual(GitFailure.Other, GitErrorClassifier.Classify(new NotFoundException("reference 'refs/heads/main' not found")));
    }

    [TestMethod]
    [DataRow("failed to update ref: fetch first", true)]
    [DataRow("non-fast-forward", true)]
    [DataRow("stale info", true)]
    [DataRow("failed to update ref", true)]
    [DataRow("cannot lock ref 'refs/heads/main': is at 1234 but expected 5678", true)]
    [DataRow("pre-receive hook declined", false)]
    [DataRow("protected branch hook declined", false)]
    public void Tells_push_races_from_rejections(string pushStatusMessage, bool conflict) =>
        Assert.AreEqual(conflict, GitErrorClassifier.IsConflict(pushStatusMessage));

    [TestMethod]
    [DataRow("too many redirects or authentication replays", "GITOPS020")]
    [DataRow("unexpected http status code: 403", "GITOPS028")]
    [DataRow("unexpected http status code: 404", "GITOPS024")]
    [DataRow("failed to connect to 127.0.0.1: Connection refused", "GITOPS021")]
    [DataRow("something else entirely", "GITOPS027")]
    public void Maps_each_failure_to_its_error_code(string message, string code)
    {
        var error = GitErrorClassifier.ToGitOpsException(new LibGit2SharpException(message), "https://git.example.com/config.git");

        Assert.AreEqual(code, error.Code);
        StringAssert.Contains(error.Message, "https://git.example.com/config.git");
    }

    [TestMethod]
    public void Describe_keeps_one_line_without_credentials() =>
        Assert.AreEqual(
            "failed to connect to https://git.example.com/c.git: refused",
            GitErrorClassifier.Describe(new LibGit2SharpException("failed to connect to https://bot:secret@git.example.com/c.git:\nrefused\n")));
}
