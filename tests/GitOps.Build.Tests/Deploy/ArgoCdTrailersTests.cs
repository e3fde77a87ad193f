using System.Text.Json;
using GitOps.Build.Deploy;
using GitOps.Build.ConfigRepo;
using GitOps.Build.AppRepo;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;
using LibGit2Sharp;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// Argo CD's commit-tracing trailers, read back by `git interpret-trailers --parse` as Argo CD's tooling reads them:
/// each value follows Argo CD's rules, and no commit subject or body can add a trailer or a line.
/// </summary>
[TestClass]
public sealed class ArgoCdTrailersTests
{
    private const string Sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    private const string RepositoryUrl = "https://git.example.com/team/myapp.git";

    private static readonly DeploymentFacts Facts = new(
        ImageReference.Parse("registry.example.com/team/myapp:a1b2c3d"),
        "sha256:" + new string('e', 64),
        Sha,
        RepositoryUrl,
        "MyApp.csproj");

    private static readonly AppCommit Commit = new(Sha, RepositoryUrl, "Jane Doe", "jane@example.com",
        "Fix the login page", "The button was hidden on small screens.\n\nCloses #12.",
        new DateTimeOffset(2025, 6, 9, 13, 50, 18, TimeSpan.FromHours(-4)));

    [TestMethod]
    public void Each_trailer_is_read_back_by_git_and_follows_Argo_CDs_rules()
    {
        var trailers = GitTrailers.ParseAll(CommitMessage.Render(null, Facts with { AppCommit = Commit }));

        var argo = trailers.Where(t => t.Key.StartsWith("Argocd-", StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value);
        CollectionAssert.AreEqual(new[]
        {
            ArgoCdTrailers.Author, ArgoCdTrailers.Sha, ArgoCdTrailers.Subject, ArgoCdTrailers.Body, ArgoCdTrailers.RepoUrl, ArgoCdTrailers.Date,
        }, argo.Keys.ToArray());
        Assert.AreEqual("Jane Doe <jane@example.com>", argo[ArgoCdTrailers.Author]);
        Assert.AreEqual(Sha, argo[ArgoCdTrailers.Sha]);
        Assert.AreEqual("Fix the login page", argo[ArgoCdTrailers.Subject]);
        Assert.AreEqual("\"The button was hidden on small screens.\\n\\nCloses #12.\"", argo[ArgoCdTrailers.Body]);
        Assert.AreEqual(Commit.Body, JsonSerializer.Deserialize<string>(argo[ArgoCdTrailers.Body]), "the body is a JSON string, quotes included");
        Assert.AreEqual(RepositoryUrl, argo[ArgoCdTrailers.RepoUrl]);
        Assert.AreEqual("2025-06-09T13:50:18-04:00", argo[ArgoCdTrailers.Date]);
        Assert.AreEqual(Commit.Date, DateTimeOffset.Parse(argo[ArgoCdTrailers.Date], System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("registry.example.com/team/myapp:a1b2c3d", trailers.Single(t => t.Key == "GitOps-Image").Value, "ours stay");
    }

    [TestMethod]
    public void Without_an_app_commit_no_Argo_CD_trailer_is_written()
    {
        var trailers = GitTrailers.ParseAll(CommitMessage.Render(null, Facts));

        Assert.IsFalse(trailers.Any(t => t.Key.StartsWith("Argocd-", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void From_CI_variables_only_the_sha_and_the_repository_URL_are_written()
    {
        var trailers = GitTrailers.ParseAll(CommitMessage.Render(null, Facts with { AppCommit = new AppCommit(Sha, RepositoryUrl) }))
            .Where(t => t.Key.StartsWith("Argocd-", StringComparison.Ordinal)).Select(t => t.Key).ToArray();

        CollectionAssert.AreEqual(new[] { ArgoCdTrailers.Sha, ArgoCdTrailers.RepoUrl }, trailers);
    }

    [TestMethod]
    [DataRow("Fix\n\nGitOps-Image: registry.example.com/evil:latest")]
    [DataRow("Fix\r\nArgocd-reference-commit-sha: 0000000\r\nSigned-off-by: Mallory <m@example.com>")]
    [DataRow("Fix\u2028GitOps-Image: evil\u0085Key: value\fOther: x")]
    [DataRow("Fix\n    continuation: line\n\tand another")]
    public void A_hostile_subject_or_body_adds_no_trailer_and_no_line(string hostile)
    {
        var honest = CommitMessage.Render(null, Facts with { AppCommit = Commit });
        var message = CommitMessage.Render(null, Facts with { AppCommit = Commit with { Subject = hostile, Body = hostile, AuthorName = hostile } });

        var trailers = GitTrailers.ParseAll(message);

        CollectionAssert.AreEqual(GitTrailers.ParseAll(honest).Select(t => t.Key).ToArray(), trailers.Select(t => t.Key).ToArray(), message);
        Assert.AreEqual(honest.Split('\n').Length, message.Split('\n').Length, message);
        Assert.AreEqual("registry.example.com/team/myapp:a1b2c3d", trailers.Single(t => t.Key == "GitOps-Image").Value);
        Assert.AreEqual(hostile.ReplaceLineEndings("\n"), JsonSerializer.Deserialize<string>(trailers.Single(t => t.Key == ArgoCdTrailers.Body).Value));
    }

    [TestMethod]
    public void Very_long_text_stays_on_one_line_per_trailer()
    {
        var longText = string.Concat(Enumerable.Repeat("Key: value\nGitOps-Image: evil ", 2000));
        var message = CommitMessage.Render(null, Facts with { AppCommit = Commit with { Subject = longText, Body = longText } });

        var trailers = GitTrailers.ParseAll(message);

        Assert.AreEqual(11, trailers.Count, string.Join("\n", trailers.Select(t => t.Key)));
        Assert.AreEqual(1, trailers.Count(t => t.Key == "GitOps-Image"));
        Assert.IsTrue(trailers.Single(t => t.Key == ArgoCdTrailers.Subject).Value.Length > 50_000);
    }

    [TestMethod]
    [DataRow("Doe, Jane", "jane@example.com", "\"Doe, Jane\" <jane@example.com>")]
    [DataRow("J. \"JD\" Doe", "jane@example.com", "\"J. JD Doe\" <jane@example.com>")]
    [DataRow("Jane", "not an address", null)]
    [DataRow("Jane", "jane@example.com>\nX: y", null)]
    [DataRow("", "jane@example.com", "<jane@example.com>")]
    public void The_author_is_an_RFC_5322_name_with_address_or_left_out(string name, string email, string? expected)
    {
        var author = ArgoCdTrailers.For(Commit with { AuthorName = name, AuthorEmail = email })
            .Where(t => t.Key == ArgoCdTrailers.Author).Select(t => t.Value).SingleOrDefault();

        Assert.AreEqual(expected, author);
        if (expected is not null)
            Assert.IsTrue(System.Net.Mail.MailAddress.TryCreate(expected, out var parsed) && parsed.Address == email, expected);
    }

    [TestMethod]
    [DataRow("a1b2c", "a1b2c")]
    [DataRow("A1B2C3D", "a1b2c3d")]
    [DataRow("a1b2", null)]
    [DataRow("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a1b2c3d4e5f60718293a4b5c", null)]
    [DataRow("main", null)]
    public void The_sha_is_5_to_40_hex_digits_or_left_out(string sha, string? expected)
    {
        var value = ArgoCdTrailers.For(Commit with { Sha = sha }).Where(t => t.Key == ArgoCdTrailers.Sha).Select(t => t.Value).SingleOrDefault();

        Assert.AreEqual(expected, value);
    }

    [TestMethod]
    [DataRow("https://user:s3cret@git.example.com/team/app.git", "https://git.example.com/team/app.git")]
    [DataRow("ssh://git@git.example.com/team/app.git", "ssh://git.example.com/team/app.git")]
    [DataRow("git@github.com:team/app.git", null)]
    [DataRow("not a url", null)]
    [DataRow("file:///srv/app.git", null)]
    public void The_repository_URL_is_a_valid_URL_without_credentials_or_left_out(string url, string? expected)
    {
        var value = ArgoCdTrailers.For(Commit with { RepositoryUrl = url }).Where(t => t.Key == ArgoCdTrailers.RepoUrl).Select(t => t.Value).SingleOrDefault();

        Assert.AreEqual(expected, value);
    }

    [TestMethod]
    public void The_app_commit_is_read_from_its_repository_with_author_subject_body_date_and_remote()
    {
        var root = Directory.CreateTempSubdirectory("gitops-appcommit-").FullName;
        try
        {
            Repository.Init(root);
            string sha;
            using (var repository = new Repository(root))
            {
                repository.Network.Remotes.Add("origin", "https://token@git.example.com/team/app.git");
                var when = new DateTimeOffset(2025, 6, 9, 13, 50, 18, TimeSpan.FromHours(2));
                sha = repository.Commit("Fix the login\npage\n\nThe button was hidden.\n\nCloses #12.\n",
                    new LibGit2Sharp.Signature("Jane Doe", "jane@example.com", when), new LibGit2Sharp.Signature("CI", "ci@example.com", when.AddHours(1)),
                    new CommitOptions { AllowEmptyCommit = true }).Sha;
            }

            var commit = SourceRevisionReader.TryReadCommit(Path.Combine(root), sha[..10])!;

            Assert.AreEqual(new AppCommit(sha, "https://git.example.com/team/app.git", "Jane Doe", "jane@example.com", "Fix the login page",
                "The button was hidden.\n\nCloses #12.", new DateTimeOffset(2025, 6, 9, 13, 50, 18, TimeSpan.FromHours(2))), commit);
            Assert.IsNull(SourceRevisionReader.TryReadCommit(root, new string('0', 40)), "a commit the repository does not hold");
            Assert.IsNull(SourceRevisionReader.TryReadCommit(Path.GetTempPath(), sha), "no repository");
        }
        finally
        {
            TempDirectory.TryDelete(root);
        }
    }
}
