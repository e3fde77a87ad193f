using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>The contract server itself: it must reject what the description rejects, or the forge tests prove nothing.</summary>
[TestClass]
public sealed class ContractServerTests
{
    private static readonly ApiDescription GitHub = ApiDescription.Load("github.json");

    private static ContractServer Start()
    {
        var server = new ContractServer(GitHub, "/api/v3", []);
        server.AcceptedAuthorizations.Add("Bearer good");
        server.Handle("pulls/create", _ => ContractResponse.Json(HttpStatusCode.Created, PullRequest()));
        server.Handle("pulls/list", _ => ContractResponse.Json(HttpStatusCode.OK, new JsonArray()));
        return server;
    }

    /// <summary>A pull request as github.json's schema has it: the description's own sample, numbered.</summary>
    private static JsonNode PullRequest() => SchemaSample.Shaped(GitHub, "/components/schemas/pull-request", new JsonObject { ["number"] = 1 })!;

    private static HttpResponseMessage Send(ContractServer server, HttpMethod method, string path, string? json = null, string token = "good",
        string mediaType = "application/json")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(server.ApiRoot, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        return client.Send(request);
    }

    [TestMethod]
    public void The_description_is_read_with_its_operations_and_multi_segment_parameters()
    {
        Assert.IsTrue(GitHub.Operations.Count >= 25, GitHub.Operations.Count.ToString());
        var match = GitHub.Match("GET", "/repos/team/config/branches/deploy/web-a1b2c3d");
        Assert.IsNotNull(match);
        Assert.AreEqual("repos/get-branch", match.Value.Operation.OperationId);
        Assert.AreEqual("deploy/web-a1b2c3d", match.Value.PathValues["branch"]);
    }

    [TestMethod]
    public void A_path_parameter_of_the_wrong_type_is_a_violation()
    {
        using var server = Start();

        using var response = Send(server, HttpMethod.Get, "repos/team/config/pulls/abc");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(server.Violations.Single(), "pull_number");
    }

    [TestMethod]
    public void A_valid_request_is_answered_by_the_simulation()
    {
        using var server = Start();

        using var response = Send(server, HttpMethod.Post, "repos/team/config/pulls", """{"title":"t","head":"h","base":"main","body":"b","draft":false}""");

        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode);
        Assert.AreEqual(1, server.ValidatedAnswers, "the pull request answered is checked against #/components/schemas/pull-request");
        server.AssertHonoured();
    }

    [TestMethod]
    [DataRow("""{"title":"t","base":"main"}""", "head")]
    [DataRow("""{"title":"t","head":"h","base":"main","draft":"yes"}""", "draft")]
    [DataRow("""not json""", "not JSON")]
    public void A_body_the_schema_rejects_is_a_violation(string body, string named)
    {
        using var server = Start();

        using var response = Send(server, HttpMethod.Post, "repos/team/config/pulls", body);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual(1, server.Violations.Count);
        StringAssert.Contains(server.Violations[0], named);
    }

    [TestMethod]
    [DataRow("repos/team/config/pulls?state=opened", "state")]
    [DataRow("repos/team/config/pulls?source_branch=x", "source_branch")]
    [DataRow("repos/team/config/pulls?per_page=many", "per_page")]
    public void A_query_the_description_does_not_declare_is_a_violation(string path, string named)
    {
        using var server = Start();

        using var response = Send(server, HttpMethod.Get, path);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(server.Violations.Single(), named);
    }

    [TestMethod]
    public void An_undescribed_path_a_wrong_content_type_and_an_unsimulated_operation_are_violations()
    {
        using var server = Start();

        using (Send(server, HttpMethod.Post, "repos/team/config/merge-requests", "{}")) { }
        using (Send(server, HttpMethod.Post, "repos/team/config/pulls", """{"head":"h","base":"main"}""", mediaType: "text/plain")) { }
        using (Send(server, HttpMethod.Get, "repos/team/config")) { }

        Assert.AreEqual(3, server.Violations.Count, string.Join("\n", server.Violations));
        Assert.ThrowsExactly<AssertFailedException>(server.AssertHonoured);
    }

    [TestMethod]
    public void A_tolerated_content_type_still_has_its_JSON_validated()
    {
        var tolerance = new ContractTolerance(ToleranceKind.ContentType, "POST", "pulls/create", "application/x-www-form-urlencoded", "test");
        using var server = new ContractServer(GitHub, "", [tolerance]);
        server.AcceptedAuthorizations.Add("Bearer good");
        server.Handle("pulls/create", _ => ContractResponse.Json(HttpStatusCode.Created, PullRequest()));

        using (Send(server, HttpMethod.Post, "repos/team/config/pulls", """{"head":"h","base":"main"}""", mediaType: "application/x-www-form-urlencoded")) { }
        Assert.AreEqual(0, server.Violations.Count, string.Join("\n", server.Violations));
        using (Send(server, HttpMethod.Post, "repos/team/config/pulls", """{"base":"main"}""", mediaType: "application/x-www-form-urlencoded")) { }
        Assert.AreEqual(1, server.Violations.Count);
    }

    [TestMethod]
    public void A_wrong_token_is_answered_401_without_a_violation()
    {
        using var server = Start();

        using var response = Send(server, HttpMethod.Get, "repos/team/config/pulls", token: "bad");

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual(1, server.Unauthorized.Count);
        Assert.AreEqual(0, server.Violations.Count, string.Join("\n", server.Violations));
    }

    [TestMethod]
    public void A_success_answer_with_no_schema_to_check_it_against_is_a_violation_unless_a_tolerance_says_why()
    {
        // Gitea's merge declares its 200 answer without a body schema: a JSON body there is nothing the description checks.
        var gitea = GiteaContract.Description;
        var merge = """{"Do":"merge"}""";
        foreach (var tolerated in new[] { false, true })
        {
            var tolerance = new ContractTolerance(ToleranceKind.UnvalidatedAnswer, "POST", "repoMergePullRequest", "200", "test");
            using var server = new ContractServer(gitea, "/api/v1", tolerated ? [tolerance] : []);
            server.AcceptedAuthorizations.Add("Bearer good");
            server.Handle("repoMergePullRequest", _ => ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["merged"] = true }));

            using (Send(server, HttpMethod.Post, "repos/team/config/pulls/1/merge", merge)) { }

            if (tolerated)
                Assert.AreEqual(0, server.Violations.Count, string.Join("\n", server.Violations));
            else
                StringAssert.Contains(server.Violations.Single(), "no schema in gitea.json");
            Assert.AreEqual(0, server.ValidatedAnswers);
        }
    }

    [TestMethod]
    public void Every_GitHub_answer_the_contract_gives_has_a_schema_in_the_vendored_description()
    {
        // The shared response schemas (pull-request, full-repository, installation-token, …) are vendored whole: no
        // success answer of a GitHub operation the product calls goes unchecked.
        var unvalidated = GitHub.Operations
            .SelectMany(o => o.Statuses.Where(s => s.StartsWith('2') && s != "204").Select(s => (o, s)))
            .Where(x => x.o.ResponseSchema(int.Parse(x.s, System.Globalization.CultureInfo.InvariantCulture)) is null)
            .Select(x => $"{x.o} {x.s}").ToList();
        Assert.AreEqual(0, unvalidated.Count, string.Join("\n", unvalidated));
        Assert.IsFalse(GitHubContract.Tolerances.Any(t => t.Kind == ToleranceKind.UnvalidatedAnswer));
    }

    [TestMethod]
    public void A_success_answer_that_breaks_the_described_schema_is_a_violation()
    {
        // Azure DevOps' git.json holds its response schemas: GitPullRequest.pullRequestId is an integer.
        using var server = new ContractServer(AzureDevOpsContract.Description, "", []);
        server.AcceptedAuthorizations.Add("Bearer good");
        var pull = "/contoso/deploys/_apis/git/repositories/config/pullrequests/1?api-version=7.1";
        server.Handle("Pull Requests_Get Pull Request", _ => ContractResponse.Json(HttpStatusCode.OK, new JsonObject { ["pullRequestId"] = "one", ["title"] = "t" }));

        using (Send(server, HttpMethod.Get, pull.TrimStart('/'))) { }

        Assert.AreEqual(1, server.ValidatedAnswers);
        StringAssert.Contains(server.Violations.Single(), "pullRequestId");
    }
}
