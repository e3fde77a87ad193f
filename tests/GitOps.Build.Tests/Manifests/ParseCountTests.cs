using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// Each edited document is parsed at most twice per edit: once to locate the image, once to verify the edited text
/// (issue 16). Counted through the one place a YAML parser is started (<see cref="YamlParsing"/>), which records each
/// text parsed in this test's flow of control only.
/// </summary>
[TestClass]
public sealed class ParseCountTests
{
    private static readonly ImageReference Web = ImageReference.Parse("registry.example.com/team/web:v2");

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: frontend

        """;

    [TestMethod]
    public void A_one_document_file_is_parsed_once_to_locate_and_once_to_verify()
    {
        var text = TestManifest.Deployment("registry.example.com/team/web:v1", "web");
        using var parses = YamlParsing.Observe();

        var result = ManifestEditor.Edit("deployment.yaml", Encoding.UTF8.GetBytes(text), Web);

        CollectionAssert.AreEqual(new[] { text, Encoding.UTF8.GetString(result.Content) }, parses.Texts);
    }

    [TestMethod]
    public void In_a_file_of_several_documents_only_the_one_naming_the_image_is_parsed_and_verified()
    {
        var web = TestManifest.Deployment("registry.example.com/team/web:v1", "web");
        var api = TestManifest.Deployment("registry.example.com/team/api:v1", "api");
        var text = api + "---\n" + Service + "---\n" + web;
        using var parses = YamlParsing.Observe();

        var result = ManifestEditor.Edit("all.yaml", Encoding.UTF8.GetBytes(text), Web);

        var edited = Encoding.UTF8.GetString(result.Content);
        CollectionAssert.AreEqual(new[] { "---\n" + web, edited[edited.LastIndexOf("---\n", StringComparison.Ordinal)..] }, parses.Texts);
    }

    [TestMethod]
    public void Without_a_match_every_document_is_parsed_once_and_the_whole_file_not_again()
    {
        // The api's document names "web" (a candidate) without deploying it: GITOPS040 lists every image found.
        var api = TestManifest.Deployment("registry.example.com/team/api:v1", "api").Replace("name: api\n", "name: api # calls web\n", StringComparison.Ordinal);
        var text = api + "---\n" + Service;
        using var parses = YamlParsing.Observe();

        var result = ManifestEditor.TryEdit("all.yaml", Encoding.UTF8.GetBytes(text), Web);

        Assert.AreEqual(0, result.Replacements.Count);
        CollectionAssert.AreEqual(new[] { "registry.example.com/team/api:v1" }, result.ImagesFound.ToArray());
        CollectionAssert.AreEquivalent(new[] { api, "---\n" + Service }, parses.Texts, "each document once");
    }

    [TestMethod]
    public void A_deploy_round_parses_each_edited_manifest_twice()
    {
        var deployment = TestManifest.Deployment("registry.example.com/team/web:v1", "web");
        var tree = new DictionaryTree(new Dictionary<string, string>
        {
            ["apps/web/deployment.yaml"] = deployment,
            ["apps/web/service.yaml"] = Service,
        });
        var change = new ManifestImageChange([new ManifestTarget("apps/web", new ManifestEditOptions())], Web, "main", "config");
        using var parses = YamlParsing.Observe();

        var verdict = change.Apply(tree);

        Assert.AreEqual("apps/web/deployment.yaml", verdict.Files.Single().Path);
        // In path order: the deployment located and verified, the service located (it holds no image).
        CollectionAssert.AreEqual(new[] { deployment, Encoding.UTF8.GetString(verdict.Files.Single().NewContent), Service }, parses.Texts);
    }
}
