using GitOps.Build.ConfigRepo;
using GitOps.Build.Tasks;
using GitOps.Build.Tests.Fixtures;

namespace GitOps.Build.Tests.Tasks;

/// <summary>One input model, parsed once: the HTTP settings (proxy, private CA) git and the forge's API share among them.</summary>
[TestClass]
public sealed class ConfigInputsTests
{
    private static readonly string[] HttpVariables =
        ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "GITOPS_CA_BUNDLE"];

    private static ConfigInputText PullRequestText(string draft = "false") => new()
    {
        ConfigRepository = "https://github.com/team/config.git",
        CommitAuthorName = "CI",
        CommitAuthorEmail = "ci@example.com",
        TimeoutSeconds = "60",
        PushRetries = "3",
        Manifests = [new ReleaseManifest("apps/web/deployment.yaml", [])],
        PullRequest = "true",
        PullRequestDraft = draft,
    };

    [TestMethod]
    public void The_proxy_is_parsed_with_the_inputs_and_the_forge_step_does_not_read_it_again()
    {
        var environment = new Dictionary<string, string?> { ["https_proxy"] = "http://proxy.example:3128", ["GITOPS_TOKEN"] = "t" };
        var inputs = ConfigInputs.Read(PullRequestText(), name => environment.GetValueOrDefault(name), out var problems);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems.Select(p => p.Message)));
        Assert.AreEqual("http://proxy.example:3128", inputs!.Http.Proxy?.HttpsProxy);

        var read = new List<string>();
        using var write = new ConfigWrite(null, new ConfigWriterOptions { Timeout = inputs.Timeout });
        using var proposal = PullRequestSetup.Open(inputs.PullRequest!, inputs.Repository, inputs.Http, write, name =>
        {
            read.Add(name);
            return environment.GetValueOrDefault(name);
        }, dryRun: true, new RecordingLog(), CancellationToken.None);

        Assert.IsNotNull(proposal.Step);
        CollectionAssert.AreEqual(Array.Empty<string>(), read.Intersect(HttpVariables).ToArray(), "the forge step re-read the HTTP settings");
    }

    [TestMethod]
    public void An_unreadable_CA_bundle_is_reported_with_the_other_input_problems_before_anything_runs()
    {
        var missing = Path.Combine(Path.GetTempPath(), "gitops-no-such-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        var environment = new Dictionary<string, string?> { ["GITOPS_CA_BUNDLE"] = missing };

        var inputs = ConfigInputs.Read(PullRequestText(draft: "maybe"), name => environment.GetValueOrDefault(name), out var problems);

        Assert.IsNull(inputs);
        CollectionAssert.AreEquivalent(new[] { "GITOPS008", "GITOPS092" }, problems.Select(p => p.Code).ToArray());
        StringAssert.Contains(problems.Single(p => p.Code == "GITOPS092").Message, "GITOPS_CA_BUNDLE");
    }
}
