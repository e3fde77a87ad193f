using System.Reflection;
using System.Text.RegularExpressions;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Integration;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>Errors.cs and docs/errors.md list the same codes, and every message tells the user what to change.</summary>
[TestClass]
public sealed partial class ErrorCatalogueTests
{
    private static IReadOnlyList<(string Name, GitOpsError Error)> Declared { get; } =
        typeof(Errors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(GitOpsError))
            .Select(field => (field.Name, (GitOpsError)field.GetValue(null)!))
            .ToList();

    private static string Documentation => File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "docs", "errors.md"));

    [TestMethod]
    public void Every_declared_code_is_documented_and_every_documented_code_is_declared()
    {
        var declared = Declared.Select(entry => entry.Error.Code).ToHashSet();
        var documented = DocumentedRow().Matches(Documentation).Select(match => match.Groups["code"].Value).ToHashSet();

        Assert.IsTrue(declared.Count > 30, "reflection found the errors");
        CollectionAssert.AreEquivalent(declared.Order().ToList(), documented.Order().ToList(),
            $"missing from docs/errors.md: {string.Join(", ", declared.Except(documented))}; not in Errors.cs: {string.Join(", ", documented.Except(declared))}");
    }

    [TestMethod]
    public void Codes_are_unique_well_formed_and_in_their_range()
    {
        var duplicates = Declared.GroupBy(entry => entry.Error.Code).Where(group => group.Count() > 1).Select(group => group.Key).ToList();

        Assert.AreEqual("", string.Join(", ", duplicates), "duplicate codes");
        foreach (var (name, error) in Declared)
        {
            StringAssert.Matches(error.Code, CodePattern(), name);
            var number = int.Parse(error.Code[6..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsTrue(number is >= 1 and <= 159, $"{name} {error.Code}");
        }
    }

    [TestMethod]
    public void Every_message_names_something_to_fix()
    {
        var vague = Declared.Where(entry => !FixClause().IsMatch(entry.Error.MessageFormat)).Select(entry => $"{entry.Error.Code} {entry.Name}").ToList();

        Assert.AreEqual("", string.Join("; ", vague), "each message needs a sentence that starts with what to do (Set, Fix, Use, Check, …)");
    }

    [GeneratedRegex(@"^\| (?<code>GITOPS\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    [GeneratedRegex(@"^GITOPS\d{3}$")]
    private static partial Regex CodePattern();

    // An imperative at the start of a sentence or clause: ". Set X", ": set X", ", or raise X".
    [GeneratedRegex(@"(?:^|[.:;]\s+|,\s+or\s+)(?:set|fix|use|check|commit|push|write|give|run|pass|unset|build|point|raise|choose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FixClause();
}
