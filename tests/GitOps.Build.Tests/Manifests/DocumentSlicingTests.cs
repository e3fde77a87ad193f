using System.Globalization;
using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// Multi-document files are split at "---" and "..." lines and only documents that could name the image are
/// parsed: the result must be what parsing every document gives (the slow path, sliceDocuments: false).
/// </summary>
[TestClass]
public sealed class DocumentSlicingTests
{
    private const string Filler = "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  ports:\n  - port: 80\n";

    private static string Pod(string image) => $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: {image}\n";

    [TestMethod]
    public void The_slicer_cuts_at_marker_lines_keeping_directives_and_comments_with_their_document()
    {
        var text = "# head\n%YAML 1.1\n---\na: 1\n...\n%TAG !e! tag:example.com,2000:\n--- # two\nb: !e!x 2\n---\nc: d\n---\t\n...x: 4\n...\n# tail\n";

        var slices = YamlDocumentSlicer.Slice(text)!;

        CollectionAssert.AreEqual(
            new[] { "# head\n%YAML 1.1\n---\na: 1\n...\n", "%TAG !e! tag:example.com,2000:\n--- # two\nb: !e!x 2\n", "---\nc: d\n", "---\t\n...x: 4\n...\n", "# tail\n" },
            slices.Select(s => text[s.Start..s.End]).ToArray());
        CollectionAssert.AreEqual(new[] { true, true, true, true, false }, slices.Select(s => s.IsDocument).ToArray());

        // YamlDotNet agrees: each document slice parses alone as one document, and the stream holds as many.
        Assert.IsTrue(slices.Where(s => s.IsDocument).All(s => YamlTreeReader.Read(text, s).Count == 1));
        Assert.AreEqual(4, YamlTreeReader.Read(text, DocumentSlice.Whole(text)).Count);
    }

    [TestMethod]
    public void Dashes_at_column_zero_after_a_block_scalar_end_the_document_and_YamlDotNet_agrees()
    {
        var config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: |\n    echo one\n\n";
        var input = config + "---\n" + Filler + "---\n" + Pod("team/myapp:old");

        var events = EditVerifier.Events(input);

        Assert.AreEqual(3, events.OfType<DocumentStart>().Count());
        Assert.AreEqual("echo one\n", events.OfType<Scalar>().Single(s => s.Style == ScalarStyle.Literal).Value);
        Assert.AreEqual(config.Length, YamlDocumentSlicer.Slice(input)![1].Start);
        AssertSameAsSlowPath(input, "team/myapp:new", input.Replace(":old", ":new"));
    }

    [TestMethod]
    public void A_root_block_scalar_is_left_to_the_full_parse_which_YamlDotNet_continues_past_dashes()
    {
        // By the spec "---" ends the scalar; YamlDotNet reads on, so such a file is not sliced (here it is then malformed).
        Assert.AreEqual("notes\n---\nmore\n", EditVerifier.Events("--- |\nnotes\n---\nmore\n").OfType<Scalar>().Single().Value);
        var input = "--- |\nnotes\n---\n" + Pod("team/myapp:old");

        Assert.IsNull(YamlDocumentSlicer.Slice(input));
        AssertSameAsSlowPath(input, "team/myapp:new", expected: null);
    }

    [TestMethod]
    public void A_second_version_directive_is_left_to_the_full_parse_which_YamlDotNet_rejects()
    {
        var input = "%YAML 1.1\n---\n" + Filler + "...\n%YAML 1.1\n---\n" + Pod("team/myapp:old");

        Assert.IsNull(YamlDocumentSlicer.Slice(input));
        AssertSameAsSlowPath(input, "team/myapp:new", expected: null);
    }

    [TestMethod]
    public void A_document_with_directives_is_parsed_with_them()
    {
        var pod = "%TAG !k8s! tag:kubernetes.io,2024:\n--- # pod\n" + Pod("team/myapp:old").Replace("metadata:\n  name: p", "metadata: !k8s!meta\n  name: p");
        var input = Filler + "...\n" + pod + "...\n---\n" + Filler;

        var slices = YamlDocumentSlicer.Slice(input)!;

        Assert.AreEqual(Filler.Length + 4, slices[1].Start, "the directive opens the second slice");
        AssertSameAsSlowPath(input, "team/myapp:new", input.Replace(":old", ":new"));
    }

    [TestMethod]
    [DataRow("\"team/my\\x61pp:old\"", "\"team/myapp:new\"")]
    [DataRow("\"team/my\\\n      app:old\"", "\"team/myapp:new\"")]
    [DataRow("\"te\\u0061m/\\u006Dyapp:old\"", "\"team/myapp:new\"")]
    public void An_escaped_name_in_a_document_that_does_not_spell_it_is_edited(string written, string expected)
    {
        var input = Filler + "---\n" + Pod(written) + "---\n" + Filler;

        Assert.IsFalse(input.Contains("myapp", StringComparison.OrdinalIgnoreCase));
        AssertSameAsSlowPath(input, "team/myapp:new", input.Replace(written, expected));
    }

    [TestMethod]
    public void Docker_Hub_spellings_are_candidates()
    {
        var input = Filler + "---\n" + Pod("docker.io/library/nginx:1.0") + "---\n" + Pod("NGINX-is-not-it:1") + "---\n" + Pod("index.docker.io/library/nginx:1.0");

        AssertSameAsSlowPath(input, "nginx:1.1", input.Replace("index.docker.io/library/nginx:1.0", "nginx:1.1").Replace("docker.io/library/nginx:1.0", "nginx:1.1"));
    }

    [TestMethod]
    public void Setter_markers_in_documents_without_the_name_follow_their_policy()
    {
        var deployment = Pod("team/myapp:v1 # {\"$imagepolicy\": \"flux:myapp\"}");
        var release = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\ndata:\n  tag: v1 # {\"$imagepolicy\": \"flux:myapp:tag\"}\n";
        var input = deployment + "---\n" + Filler + "---\n" + release;

        AssertSameAsSlowPath(input, "team/myapp:v2", input.Replace("myapp:v1", "myapp:v2").Replace("tag: v1", "tag: v2"));
        AssertSameAsSlowPath(release + "---\n" + Filler, "team/myapp:v2", (release + "---\n" + Filler).Replace("tag: v1", "tag: v2"),
            new ManifestEditOptions { ImagePolicy = "flux:myapp" });
    }

    [TestMethod]
    public void Format_detection_sees_documents_that_cannot_name_the_image()
    {
        // The only candidate is Helm-like, but another document is a Kubernetes object: the file is Kubernetes, so no match.
        var input = Filler + "---\nimage:\n  repository: team/myapp\n  tag: old\n";

        AssertSameAsSlowPath(input, "team/myapp:new", expected: null);
        AssertSameAsSlowPath("image:\n  repository: team/myapp\n  tag: old\n---\nother: {repository: x/y, tag: z}\n", "team/myapp:new",
            "image:\n  repository: team/myapp\n  tag: new\n---\nother: {repository: x/y, tag: z}\n");
    }

    [TestMethod]
    public void No_match_lists_every_image_in_the_file()
    {
        var input = Pod("team/first:v1") + "---\n" + Filler + "---\n" + Pod("team/last:v1") + "---\n" + Pod("team/myapp-worker:v1");

        var error = ManifestEditAssert.Fails(input, "team/myapp:new", Errors.NoImageReference);

        StringAssert.Contains(error.Message, "team/first:v1, team/last:v1, team/myapp-worker:v1");
    }

    [TestMethod]
    public void A_late_document_of_a_large_file_has_whole_file_line_numbers()
    {
        var prefix = string.Concat(Enumerable.Repeat(Filler + "---\n", 3000));
        var linesBefore = prefix.Count(c => c == '\n');
        var input = prefix + Pod("team/myapp:old") + "---\n" + Pod("team/myapp-worker:old");

        var result = AssertSameAsSlowPath(input, "team/myapp:new", input.Replace("myapp:old", "myapp:new"));

        Assert.AreEqual(new ImageReplacement(linesBefore + 8, 12, "team/myapp:old", "team/myapp:new"), result!.Replacements.Single());
        var error = ManifestEditAssert.Fails(prefix + Pod("|\n      team/myapp:old"), "team/myapp:new", Errors.ImageInBlockScalar);
        StringAssert.Contains(error.Message, $"line {linesBefore + 8}");
    }

    [TestMethod]
    public void CRLF_and_BOM_survive_slicing()
    {
        var text = ("# windows\n" + Filler + "...\n---\n" + Pod("team/myapp:old  # c") + "---\n" + Filler).Replace("\n", "\r\n");
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var input = bom.Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var image = ImageReference.Parse("team/myapp:new");

        var result = ManifestEditor.Edit("m.yaml", input, image);

        CollectionAssert.AreEqual(bom.Concat(Encoding.UTF8.GetBytes(text.Replace(":old", ":new"))).ToArray(), result.Content);
        Assert.AreEqual(new ImageReplacement(18, 12, "team/myapp:old", "team/myapp:new"), result.Replacements.Single());
        CollectionAssert.AreEqual(ManifestEditor.Edit("m.yaml", input, image, null, sliceDocuments: false).Content, result.Content);
    }

    [TestMethod]
    [TestCategory("Slow")] // ~30 s; build/bench/yaml.sh keeps the measurement
    public void A_ten_megabyte_file_is_edited_like_the_slow_path()
    {
        var (text, target) = GenerateLargeFile(10 * 1024 * 1024);
        var content = Encoding.UTF8.GetBytes(text);
        var image = ImageReference.Parse($"registry.example.com:5000/team/{target}:v2");

        var sliced = ManifestEditor.Edit("all.yaml", content, image);
        var full = ManifestEditor.Edit("all.yaml", content, image, null, sliceDocuments: false);

        CollectionAssert.AreEqual(full.Content, sliced.Content);
        CollectionAssert.AreEqual(full.Replacements.ToArray(), sliced.Replacements.ToArray());
        Assert.AreEqual(3, sliced.Replacements.Count);
        Assert.AreEqual(content.Length + 3 * "v2".Length - 3 * "initial".Length, sliced.Content.Length);
    }

    // Deployments with varied styles (flow mappings, anchors, quotes, escapes, comments, block scalars holding
    // "---" indented, "..." ends and directives) and Services; the target app appears in three documents.
    private static (string Text, string Target) GenerateLargeFile(int size)
    {
        var text = new StringBuilder(size + 4096);
        var count = size / 1100;
        var target = $"app-{count / 2:00000}";
        for (var i = 0; text.Length < size; i++)
        {
            var app = $"app-{i:00000}";
            var image = i % 3 == 0 ? $"\"registry.example.com:5000/team/{app}:initial\"" : $"registry.example.com:5000/team/{app}:initial";
            text.Append(CultureInfo.InvariantCulture, $"""
                {(i > 0 && i % 50 == 0 ? "...\n%TAG !b! tag:bench,2024:\n" : "")}--- # {app}
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {app}
                  labels: &labels {"{"} app: {app}, team: bench {"}"}
                  annotations:
                    note: {(i % 7 == 0 ? "\"tab\\there \\u00e9\"" : "plain")}
                spec:
                  selector:
                    matchLabels: *labels
                  template:
                    spec:
                      containers:
                        - name: web
                          image: {image} # pinned
                          args:
                            - |
                              echo start
                              --- not a marker
                      initContainers: [{"{"}name: init, image: 'registry.example.com:5000/team/{app}:initial'{"}"}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {"{"}name: {app}{"}"}
                spec:
                  ports:
                    - port: 80

                """);
            if (app == target)
            {
                text.Append(CultureInfo.InvariantCulture, $"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {app}-debug\nspec:\n  containers:\n  - name: debug\n    image: registry.example.com:5000/team/{app}:initial\n");
            }
        }

        return (text.ToString(), target);
    }

    /// <summary>Edits with and without slicing and asserts the same outcome: <paramref name="expected"/>, or (null) the same error.</summary>
    private static ManifestEditResult? AssertSameAsSlowPath(string input, string image, string? expected, ManifestEditOptions? options = null)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var reference = ImageReference.Parse(image);
        ManifestEditResult? Run(bool slice, out GitOpsException? error)
        {
            try
            {
                error = null;
                return ManifestEditor.Edit("manifest.yaml", bytes, reference, options, slice);
            }
            catch (GitOpsException e)
            {
                error = e;
                return null;
            }
        }

        var sliced = Run(true, out var slicedError);
        var full = Run(false, out var fullError);

        Assert.AreEqual(fullError?.Message, slicedError?.Message);
        if (expected is null)
        {
            Assert.IsNotNull(slicedError, "an error was expected");
            return null;
        }

        Assert.IsNotNull(sliced, slicedError?.Message);
        Assert.AreEqual(expected, Encoding.UTF8.GetString(sliced.Content));
        CollectionAssert.AreEqual(full!.Content, sliced.Content);
        CollectionAssert.AreEqual(full.Replacements.ToArray(), sliced.Replacements.ToArray());
        return sliced;
    }
}
