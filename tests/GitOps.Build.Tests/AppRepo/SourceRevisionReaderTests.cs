using GitOps.Build.AppRepo;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.Tests.AppRepo;

[TestClass]
public sealed class SourceRevisionReaderTests
{
    private static readonly Signature Author = new("Dev", "dev@example.com", DateTimeOffset.UnixEpoch);
    private string _root = "";

    [TestInitialize]
    public void CreateDirectory() => _root = Directory.CreateTempSubdirectory("gitops-source-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => GitOps.Build.ConfigRepo.TempDirectory.TryDelete(_root);

    private string CommitFile(string relativePath, string content, string message = "change")
    {
        if (!Repository.IsValid(_root)) Repository.Init(_root);
        using var repository = new Repository(_root);
        var full = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        Commands.Stage(repository, relativePath);
        return repository.Commit(message, Author, Author).Sha;
    }

    [TestMethod]
    public void Clean_checkout_gives_the_head_commit_and_a_seven_character_tag()
    {
        var sha = CommitFile("src/app/Program.cs", "// v1");
        var project = Path.Combine(_root, "src", "app");

        var revision = SourceRevisionReader.TryRead(project, allowDirty: false);

        Assert.IsNotNull(revision);
        Assert.AreEqual(sha, revision.CommitSha);
        Assert.AreEqual(sha[..7], revision.ShortSha);
        Assert.IsNull(revision.RepositoryUrl);
    }

    [TestMethod]
    public void Remote_url_is_reported_without_credentials()
    {
        CommitFile("a.txt", "a");
        using (var repository = new Repository(_root))
            repository.Network.Remotes.Add("origin", "https://user:s3cret@git.example.com/team/app.git");

        var revision = SourceRevisionReader.TryRead(_root, allowDirty: false)!;

        Assert.AreEqual("https://git.example.com/team/app.git", revision.RepositoryUrl);
    }

    [TestMethod]
    public void Tracked_changes_fail_with_GITOPS010_naming_the_files()
    {
        CommitFile("a.txt", "a");
        File.WriteAllText(Path.Combine(_root, "a.txt"), "edited");

        var error = Assert.ThrowsExactly<GitOpsException>(() => SourceRevisionReader.TryRead(_root, allowDirty: false));

        Assert.AreEqual("GITOPS010", error.Code);
        StringAssert.Contains(error.Message, "a.txt");
        StringAssert.Contains(error.Message, "GitOpsAllowDirty");
    }

    [TestMethod]
    public void Tracked_changes_are_accepted_with_allow_dirty()
    {
        var sha = CommitFile("a.txt", "a");
        File.WriteAllText(Path.Combine(_root, "a.txt"), "edited");

        Assert.AreEqual(sha, SourceRevisionReader.TryRead(_root, allowDirty: true)!.CommitSha);
    }

    [TestMethod]
    public void Untracked_files_do_not_make_the_tree_dirty()
    {
        var sha = CommitFile("a.txt", "a");
        Directory.CreateDirectory(Path.Combine(_root, "obj"));
        File.WriteAllText(Path.Combine(_root, "obj", "build.cache"), "x");

        Assert.AreEqual(sha, SourceRevisionReader.TryRead(_root, allowDirty: false)!.CommitSha);
    }

    [TestMethod]
    public void Repository_without_commits_fails_with_GITOPS012()
    {
        Repository.Init(_root);

        var error = Assert.ThrowsExactly<GitOpsException>(() => SourceRevisionReader.TryRead(_root, allowDirty: false));

        Assert.AreEqual("GITOPS012", error.Code);
    }

    [TestMethod]
    public void Abbreviation_has_at_least_seven_characters_and_resolves_to_the_commit()
    {
        var sha = CommitFile("a.txt", "a");
        using var repository = new Repository(_root);
        var shortSha = SourceRevisionReader.TryRead(_root, allowDirty: false)!.ShortSha;

        Assert.IsTrue(shortSha.Length >= 7);
        Assert.AreEqual(sha, repository.Lookup<Commit>(shortSha).Sha);
    }

    [TestMethod]
    public void Without_a_repository_there_is_no_revision() =>
        Assert.IsNull(SourceRevisionReader.TryRead(_root, false));
}
