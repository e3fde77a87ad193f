using System.Text;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Manifests;

/// <summary>Edited kustomizations rendered by the real `kubectl kustomize`: the image the cluster would get.</summary>
[TestClass]
public sealed class KustomizeRenderTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: registry.example.com/team/web:placeholder
        """;

    private static string Render(string kustomization, string image, ManifestEditOptions? options = null)
    {
        var directory = Directory.CreateTempSubdirectory("gitops-kustomize-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "deployment.yaml"), Deployment);
            var edited = ManifestEditor.Edit("kustomization.yaml", Encoding.UTF8.GetBytes(kustomization), ImageReference.Parse(image), options);
            File.WriteAllBytes(Path.Combine(directory, "kustomization.yaml"), edited.Content);

            var render = ProcessRunner.Run("kubectl", ["kustomize", directory]);
            Assert.IsTrue(render.Succeeded, render.ToString());
            // kubectl prints the container as "- image: …".
            return render.StandardOutput.Split('\n').Single(l => l.Contains("image:", StringComparison.Ordinal)).TrimStart(' ', '-');
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(directory);
        }
    }

    [TestMethod]
    public void An_updated_newTag_renders_the_new_image() =>
        Assert.AreEqual("image: registry.example.com/team/web:abc1234", Render("""
            resources:
              - deployment.yaml
            images:
              - name: registry.example.com/team/web
                newTag: old # set by CI
            """, "registry.example.com/team/web:abc1234"));

    [TestMethod]
    public void A_numeric_looking_sha_stays_a_string_tag() =>
        Assert.AreEqual("image: registry.example.com/team/web:1234567", Render("""
            resources: [deployment.yaml]
            images:
              - name: registry.example.com/team/web
                newTag: old
            """, "registry.example.com/team/web:1234567"));

    [TestMethod]
    public void An_entry_matched_by_newName_is_renamed_and_retagged() =>
        Assert.AreEqual("image: registry.example.com/team/web:abc1234", Render("""
            resources:
            - deployment.yaml
            images:
            - name: registry.example.com/team/web
              newName: registry.example.com/team/web
              newTag: "0.9"
            """, "registry.example.com/team/web:abc1234"));

    [TestMethod]
    public void A_missing_entry_is_added_with_AddIfMissing() =>
        Assert.AreEqual("image: registry.example.com/team/web:abc1234", Render("""
            resources:
              - deployment.yaml
            images:
              - name: registry.example.com/team/other
                newTag: "1"
            """, "registry.example.com/team/web:abc1234", new ManifestEditOptions { AddIfMissing = true }));

    [TestMethod]
    public void The_digest_format_pins_the_digest_and_keeps_an_existing_tag_truthful()
    {
        var digest = "sha256:" + new string('a', 64);

        Assert.AreEqual($"image: registry.example.com/team/web:abc1234@{digest}", Render("""
            resources:
              - deployment.yaml
            images:
              - name: registry.example.com/team/web
                newTag: old
            """, $"registry.example.com/team/web:abc1234@{digest}", new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest }));
    }
}
