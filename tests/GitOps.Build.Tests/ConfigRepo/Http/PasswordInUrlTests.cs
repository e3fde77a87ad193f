using GitOps.Build.Tests.Targets;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo.Http;

/// <summary>
/// A password in GitOpsConfigRepository's URL that holds a space (hostile probe: it deployed, and the password was in
/// GITOPS063, three log lines and gitops-result.json): the update runs in-process against the real git server, with the
/// token in GITOPS_TOKEN, and the URL's password appears in no line of the build's log and not in the result file.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
[DoNotParallelize]
public sealed class PasswordInUrlTests
{
    private const string Secret = "S3CR3T";

    [TestMethod]
    [DataRow("pa ss " + Secret)]
    [DataRow("pa#" + Secret)]
    [DataRow("pa/" + Secret)]
    public void A_password_with_a_delimiter_or_space_is_shown_nowhere(string password)
    {
        var environment = TestEnvironment.Require();
        using var repository = ServedRepository.Create(environment, "configrepo-tests");
        var url = repository.Url(environment.GitHttpBase).Replace("http://", $"http://{environment.GitUsername}:{password}@", StringComparison.Ordinal);
        using var project = TargetsProject.Create(new Dictionary<string, string>
        {
            ["GitOpsConfigRepository"] = url,
            ["GitOpsManifestPath"] = ServedRepository.Manifest,
            ["GitOpsImage"] = "registry.example.com/web:bbb2222",
        });

        var run = project.Build("GitOpsUpdateConfig", new Dictionary<string, string>
        {
            ["GITOPS_TOKEN"] = environment.GitToken,
            ["GITOPS_USERNAME"] = environment.GitUsername,
        });

        Assert.IsTrue(run.Succeeded, run.ToString());
        CollectionAssert.Contains(run.Log.WarningCodes.ToList(), "GITOPS063");
        // What GitOps.Build writes: its warnings, errors and "GitOps:" lines. (MSBuild's own echo of the property, which
        // no task can redact, is why GITOPS063 exists.)
        var ours = run.Log.Lines.Where(line => line.Contains("GITOPS", StringComparison.Ordinal) || line.StartsWith("GitOps:", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(ours.Count(line => line.StartsWith("GitOps:", StringComparison.Ordinal)) >= 3, string.Join("\n", ours));
        Assert.IsFalse(string.Join("\n", ours).Contains(Secret, StringComparison.Ordinal), string.Join("\n", ours));
        var result = File.ReadAllText(run.Property("GitOpsResultFile"));
        Assert.IsFalse(result.Contains(Secret, StringComparison.Ordinal), result);
        StringAssert.Contains(result, repository.Url(environment.GitHttpBase).Replace("http://", "", StringComparison.Ordinal));
    }
}
