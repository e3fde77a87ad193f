using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// The conformance corpus: each Corpus/&lt;case&gt;/ holds input.yaml, case.json (image, options, optional path and
/// error) and, unless an error is expected, expected.yaml, compared byte for byte. Files are read from the source tree.
/// </summary>
[TestClass]
public sealed class CorpusTests
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IEnumerable<object[]> Cases =>
        Directory.GetDirectories(CorpusDirectory()).Order(StringComparer.Ordinal).Select(d => new object[] { Path.GetFileName(d) });

    [TestMethod]
    public void The_corpus_has_enough_cases() => Assert.IsGreaterThanOrEqualTo(40, Cases.Count());

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Case(string name)
    {
        var directory = Path.Combine(CorpusDirectory(), name);
        var spec = JsonSerializer.Deserialize<CaseSpec>(File.ReadAllText(Path.Combine(directory, "case.json")), Json)!;
        var input = File.ReadAllBytes(Path.Combine(directory, "input.yaml"));
        var path = spec.Path ?? name + ".yaml";
        var image = ImageReference.Parse(spec.Image);

        if (spec.Error is not null)
        {
            var error = Assert.ThrowsExactly<GitOpsException>(() => ManifestEditor.Edit(path, input, image, spec.Options));
            Assert.AreEqual(spec.Error, error.Code, error.Message);
            Assert.IsFalse(File.Exists(Path.Combine(directory, "expected.yaml")), "An error case has no expected output.");
            return;
        }

        var expected = File.ReadAllBytes(Path.Combine(directory, "expected.yaml"));
        var result = ManifestEditor.Edit(path, input, image, spec.Options);

        Assert.AreEqual(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(result.Content));
        CollectionAssert.AreEqual(expected, result.Content, "bytes differ (BOM?)");
        Assert.AreEqual(!input.SequenceEqual(expected), result.Changed);

        // Editing the output again finds the image already in place and changes nothing.
        var again = ManifestEditor.Edit(path, result.Content, image, spec.Options);
        Assert.IsFalse(again.Changed);
        CollectionAssert.AreEqual(expected, again.Content);
    }

    private static string CorpusDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var corpus = Path.Combine(directory.FullName, "Manifests", "Corpus");
            if (Directory.Exists(corpus) && !directory.FullName.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                return corpus;
            }
        }

        throw new DirectoryNotFoundException("Manifests/Corpus was not found above " + AppContext.BaseDirectory);
    }

    private sealed record CaseSpec(string Image, string? Path, string? Error, ManifestEditOptions? Options);
}
