using System.Text.RegularExpressions;
using GitOps.Build.Tests.Docs;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// ConfigRepo reaches its transports only through IRemoteTransport: no file of ConfigRepo itself names ConfigRepo/Http
/// or ConfigRepo/Ssh, or a type declared there, so the transports depend on ConfigRepo and not the other way round.
/// </summary>
[TestClass]
public sealed partial class TransportFolderTests
{
    private static readonly string Folder = Path.Combine(SdkTargetsProperties.RepositoryRoot, "src", "Tasks", "ConfigRepo");

    [TestMethod]
    [DataRow("Http")]
    [DataRow("Ssh")]
    public void ConfigRepo_does_not_depend_on_its_transport_folders(string transport)
    {
        var types = Directory.EnumerateFiles(Path.Combine(Folder, transport), "*.cs")
            .SelectMany(file => DeclaredType().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
            .ToHashSet();
        Assert.IsTrue(types.Count > 3, "the declarations were found");

        var uses = Directory.EnumerateFiles(Folder, "*.cs")
            .SelectMany(file => Uses(File.ReadAllText(file), transport, types).Select(use => $"{Path.GetFileName(file)} uses {use}"))
            .ToList();

        Assert.AreEqual("", string.Join("\n", uses));
    }

    [TestMethod]
    public void The_check_sees_a_planted_use()
    {
        var planted = "namespace GitOps.Build.ConfigRepo;\ninternal sealed class X { private readonly GitHttpSession? session; }";

        CollectionAssert.AreEqual(new[] { "GitHttpSession" }, Uses(planted, "Http", new HashSet<string> { "GitHttpSession" }).ToList());
        CollectionAssert.AreEqual(new[] { "GitOps.Build.ConfigRepo.Ssh" }, Uses("using GitOps.Build.ConfigRepo.Ssh;", "Ssh", new HashSet<string>()).ToList());
    }

    private static IEnumerable<string> Uses(string text, string transport, IReadOnlySet<string> types)
    {
        var code = Comment().Replace(text, "");
        if (code.Contains("GitOps.Build.ConfigRepo." + transport, StringComparison.Ordinal))
            yield return "GitOps.Build.ConfigRepo." + transport;
        foreach (var word in Word().Matches(code).Select(match => match.Value).Distinct())
        {
            if (types.Contains(word))
                yield return word;
        }
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+)?(\w+)")]
    private static partial Regex DeclaredType();

    [GeneratedRegex(@"\b[A-Z]\w+\b")]
    private static partial Regex Word();

    // Comments may name the transports (they say who implements what).
    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
