using GitOps.Build.Deploy;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>Which deployed images count as later than the one being deployed, read from a real app repository.</summary>
[TestClass]
public sealed class DeployOrderGuardTests
{
    private const string Repository = "registry.example.com/team/app";

    private readonly RecordingLog log = new();

    private static AppHistory history = null!;

    [ClassInitialize]
    public static void CreateHistory(TestContext context) => history = AppHistory.Create(3);

    [ClassCleanup]
    public static void DeleteHistory() => history?.Dispose();

    private DeployOrderGuard Guard(string? sourceCommit, bool allowDowngrade = false, string? directory = null) =>
        new(directory ?? history.Root, sourceCommit, allowDowngrade, log);

    private static ImageReference Image(string tag) => ImageReference.Parse($"{Repository}:{tag}");

    private static string Reference(string tag) => $"{Repository}:{tag}";

    [TestMethod]
    public void An_image_from_a_later_commit_is_newer()
    {
        var newer = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [Reference(history.Tag(2))], null);

        Assert.AreEqual(new NewerDeployment(Reference(history.Tag(2)), history.Commits[2], history.Commits[0]), newer);
    }

    [TestMethod]
    public void A_bare_tag_value_of_a_later_commit_is_newer()
    {
        // A Kustomize newTag or a Helm tag holds the tag alone; a short hex tag also parses as a repository name.
        var newer = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [history.Tag(2)], null);

        Assert.AreEqual(new NewerDeployment(history.Tag(2), history.Commits[2], history.Commits[0]), newer);
    }

    [TestMethod]
    public void Without_a_source_commit_the_new_tag_names_the_commit()
    {
        Assert.IsNotNull(Guard(null).FindNewerDeployment(Image(history.Tag(1)), [Reference(history.Tag(2))], null));
    }

    [TestMethod]
    public void Earlier_and_equal_commits_are_not_newer()
    {
        var guard = Guard(history.Commits[1]);

        Assert.IsNull(guard.FindNewerDeployment(Image(history.Tag(1)), [Reference(history.Tag(0))], null));
        Assert.IsNull(guard.FindNewerDeployment(Image("rebuilt"), [Reference(history.Tag(1))], null));
        Assert.IsNull(guard.FindNewerDeployment(Image(history.Tag(1)), [history.Tag(0)], null), "a bare tag value");
    }

    [TestMethod]
    public void A_commit_on_another_branch_is_not_ordered_and_is_replaced()
    {
        var fork = history.Fork(0, "hotfix-" + Guid.NewGuid().ToString("N")[..6]);

        Assert.IsNull(Guard(history.Commits[2]).FindNewerDeployment(Image(history.Tag(2)), [Reference(fork[..7])], null));
        Assert.IsNull(Guard(fork).FindNewerDeployment(Image(fork[..7]), [Reference(history.Tag(2))], null));
    }

    [TestMethod]
    public void A_tag_that_is_no_commit_falls_back_to_the_tip_commits_trailers_for_that_exact_image()
    {
        var message = $"Deploy team/app:stable\n\nGitOps-Source-Commit: {history.Commits[2]}\nGitOps-Image: {Reference("stable")}\n";

        var newer = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [Reference("stable")], message);
        var otherImage = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [Reference("canary")], message);

        Assert.AreEqual(history.Commits[2], newer?.OldCommit);
        Assert.IsNull(otherImage, "the trailers describe another image");
        Assert.IsTrue(log.Important.Any(line => line.Contains("deploy order not checked", StringComparison.Ordinal) && line.Contains("canary", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_release_tip_gives_each_image_the_source_commit_of_its_own_trailer_group()
    {
        // A release whose images were built from different commits: the first image's group names the later commit.
        var message = CommitMessage.RenderRelease(null, [
            new DeploymentFacts(ImageReference.Parse(Reference("stable")), null, history.Commits[2], null, "App.csproj"),
            new DeploymentFacts(ImageReference.Parse("registry.example.com/team/other:stable"), null, history.Commits[0], null, "Other.csproj"),
        ]);

        var newer = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [Reference("stable")], message);

        Assert.AreEqual(history.Commits[2], newer?.OldCommit, "not the last group's commit");
    }

    [TestMethod]
    public void Unknown_commits_are_logged_as_unchecked_and_deployed()
    {
        var unknownOld = Guard(history.Commits[0]).FindNewerDeployment(Image(history.Tag(0)), [Reference("1.4.2"), Reference("abcdef0123456")], null);
        var unknownNew = Guard("0123456789abcdef0123456789abcdef01234567").FindNewerDeployment(Image("0123456"), [Reference(history.Tag(2))], null);
        var noRepository = Guard(history.Commits[0], directory: Path.GetTempPath()).FindNewerDeployment(Image(history.Tag(0)), [Reference(history.Tag(2))], null);

        Assert.IsNull(unknownOld);
        Assert.IsNull(unknownNew);
        Assert.IsNull(noRepository);
        Assert.AreEqual(4, log.Important.Count(line => line.Contains("deploy order not checked", StringComparison.Ordinal)), string.Join("\n", log.Important));
    }

    [TestMethod]
    public void A_shallow_clone_cannot_tell_and_deploys()
    {
        var shallow = history.ShallowClone();
        try
        {
            // The clone holds only the last commit: an older build's tag is unknown there.
            var newer = Guard(history.Commits[2], directory: shallow).FindNewerDeployment(Image(history.Tag(2)), [Reference(history.Tag(1))], null);

            Assert.IsNull(newer);
            Assert.IsTrue(log.Important.Any(line => line.Contains("shallow clone", StringComparison.Ordinal)), string.Join("\n", log.Important));
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(shallow);
        }
    }

    [TestMethod]
    public void GitOpsAllowDowngrade_deploys_the_earlier_image_and_says_so()
    {
        var newer = Guard(history.Commits[0], allowDowngrade: true).FindNewerDeployment(Image(history.Tag(0)), [Reference(history.Tag(2))], null);

        Assert.IsNull(newer);
        Assert.IsTrue(log.Important.Any(line => line.Contains("GitOpsAllowDowngrade=true", StringComparison.Ordinal)));
    }
}
