using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Integration;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>
/// Errors.cs, Strings.resx and docs/errors.md list the same codes, each code sits in a range the catalogue declares,
/// and every message tells the user what to change.
/// </summary>
[TestClass]
public sealed partial class ErrorCatalogueTests
{
    private static IReadOnlyList<(string Name, GitOpsError Error)> Declared { get; } =
        typeof(Errors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(GitOpsError))
            .Select(field => (field.Name, (GitOpsError)field.GetValue(null)!))
            .ToList();

    private static string Documentation => File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "docs", "errors.md"));

    private static string ErrorsSource => File.ReadAllText(Path.Combine(SdkPackage.RepositoryRoot, "src", "Tasks", "Diagnostics", "Errors.cs"));

    /// <summary>Strings.resx as written (not as embedded): name and text of every resource.</summary>
    private static IReadOnlyList<(string Name, string Text)> Resources { get; } =
        XDocument.Load(Path.Combine(SdkPackage.RepositoryRoot, "src", "Tasks", "Diagnostics", "Strings.resx"))
            .Root!.Elements("data")
            .Select(data => ((string)data.Attribute("name")!, (string)data.Element("value")!))
            .ToList();

    private static IReadOnlyList<(string Code, string Name)> CodedResources =>
        Resources.Select(resource => (Code: ResourceCode().Match(resource.Text), resource.Name))
            .Where(resource => resource.Code.Success)
            .Select(resource => (resource.Code.Groups["code"].Value, resource.Name))
            .ToList();

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
    public void Every_documented_code_has_exactly_one_resource_and_every_resource_code_is_documented_and_declared()
    {
        var documented = DocumentedRow().Matches(Documentation).Select(match => match.Groups["code"].Value).ToHashSet();
        var declared = Declared.Select(entry => entry.Error.Code).ToHashSet();
        var resources = CodedResources.ToLookup(resource => resource.Code, resource => resource.Name);

        Assert.IsTrue(resources.Count > 30, "the resources were read");
        var notOne = documented.Where(code => resources[code].Count() != 1)
            .Select(code => $"{code}: {resources[code].Count()} resource(s) {string.Join(", ", resources[code])}").ToList();
        Assert.AreEqual("", string.Join("; ", notOne), "each documented code needs exactly one resource in Strings.resx");
        var strays = resources.Select(group => group.Key).Where(code => !documented.Contains(code) || !declared.Contains(code)).ToList();
        Assert.AreEqual("", string.Join(", ", strays), "resource codes missing from docs/errors.md or Errors.cs");
    }

    [TestMethod]
    public void Every_error_takes_its_text_from_the_resource_named_like_its_field()
    {
        var inline = Declared.Where(entry => entry.Error.IsInline).ToList();
        var byCode = CodedResources.ToDictionary(resource => resource.Code, resource => resource.Name);

        // The lines to paste into Strings.resx, so that moving an entry written the old way is mechanical.
        Assert.AreEqual("", string.Join("\n", inline.Select(entry =>
                $"""  <data name="{entry.Name}" xml:space="preserve"><value>{System.Security.SecurityElement.Escape(entry.Error.Code + ": " + entry.Error.MessageFormat)}</value></data>""")),
            "move these texts from Errors.cs into Diagnostics/Strings.resx, and write the fields as new(\"GITOPSnnn\")");
        var misnamed = Declared.Where(entry => byCode.TryGetValue(entry.Error.Code, out var name) && name != entry.Name)
            .Select(entry => $"{entry.Error.Code}: field {entry.Name}, resource {byCode[entry.Error.Code]}").ToList();
        Assert.AreEqual("", string.Join("; ", misnamed));
    }

    [TestMethod]
    public void The_logged_text_is_the_embedded_resource_without_its_code()
    {
        // Read back through the task assembly's ResourceManager: proves the .resources are embedded under the name
        // Strings.cs asks for, and hold what Strings.resx says.
        var embedded = Strings.ResourceManager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string)entry.Value!);
        CollectionAssert.AreEquivalent(Resources.ToList(), embedded.Select(entry => (entry.Key, entry.Value)).ToList());

        foreach (var (name, error) in Declared)
        {
            var text = Resources.Single(resource => resource.Name == name).Text;
            Assert.AreEqual(text, error.Code + ": " + error.MessageFormat, name);
            Assert.IsFalse(error.MessageFormat.Contains(error.Code, StringComparison.Ordinal), $"{name}: the code is shown once, by MSBuild");
        }
    }

    [TestMethod]
    public void Codes_are_unique_well_formed_and_in_a_range_the_catalogue_declares()
    {
        var duplicates = Declared.GroupBy(entry => entry.Error.Code).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.AreEqual("", string.Join(", ", duplicates), "duplicate codes");

        var ranges = DeclaredRanges(ErrorsSource);
        Assert.IsTrue(ranges.Count >= 6, "Errors.cs declares its ranges");
        CollectionAssert.AreEquivalent(ranges.ToList(), DeclaredRanges(Documentation).ToList(), "Errors.cs and docs/errors.md declare the same ranges");
        foreach (var (name, error) in Declared)
        {
            StringAssert.Matches(error.Code, CodePattern(), name);
            var number = int.Parse(error.Code[6..], CultureInfo.InvariantCulture);
            Assert.IsTrue(ranges.Any(range => number >= range.First && number <= range.Last),
                $"{name} {error.Code} is in none of the declared ranges {string.Join(", ", ranges)}: add its range to the Ranges line of Errors.cs and docs/errors.md");
        }
    }

    [TestMethod]
    public void Each_entry_of_Errors_cs_sits_in_a_section_whose_range_holds_its_code()
    {
        (int First, int Last)? section = null;
        var misplaced = new List<string>();
        foreach (var line in ErrorsSource.Split('\n'))
        {
            if (SectionHeader().Match(line) is { Success: true } header)
                section = (int.Parse(header.Groups["first"].Value, CultureInfo.InvariantCulture), int.Parse(header.Groups["last"].Value, CultureInfo.InvariantCulture));
            else if (Entry().Match(line) is { Success: true } entry)
            {
                var number = int.Parse(entry.Groups["number"].Value, CultureInfo.InvariantCulture);
                if (section is not { } range || number < range.First || number > range.Last)
                    misplaced.Add($"{entry.Groups["name"].Value} (GITOPS{entry.Groups["number"].Value}) under {section}");
            }
        }

        Assert.AreEqual(Declared.Count, Entry().Matches(ErrorsSource).Count, "the source scan sees every entry");
        Assert.AreEqual("", string.Join("; ", misplaced), "each entry goes under the '// ---- Name (first-last) ----' comment of its range");
    }

    [TestMethod]
    public void A_retired_code_is_declared_nowhere_and_has_no_resource_or_row()
    {
        var section = RetiredSection().Match(Documentation);
        Assert.IsTrue(section.Success, "docs/errors.md has a '## Retired codes' section");
        var retired = RetiredCode().Matches(section.Value).Select(match => match.Groups["code"].Value).ToList();
        CollectionAssert.Contains(retired, "GITOPS143", "every forge's statuses are read: GITOPS143 cannot occur");
        CollectionAssert.Contains(retired, "GITOPS156", "every forge makes commits through its API: GITOPS156 cannot occur");

        var reused = retired.Where(code => Declared.Any(entry => entry.Error.Code == code)
                || CodedResources.Any(resource => resource.Code == code)
                || DocumentedRow().Matches(Documentation).Any(match => match.Groups["code"].Value == code))
            .ToList();
        Assert.AreEqual("", string.Join(", ", reused), "a retired code is never given to another error");
    }

    [TestMethod]
    public void Every_message_names_something_to_fix()
    {
        var vague = Declared.Where(entry => !FixClause().IsMatch(entry.Error.MessageFormat)).Select(entry => $"{entry.Error.Code} {entry.Name}").ToList();

        Assert.AreEqual("", string.Join("; ", vague), "each message needs a sentence that starts with what to do (Set, Fix, Use, Check, …)");
    }

    /// <summary>The "Ranges: 001-019 inputs …, 020-039 …." sentence of a catalogue file, as number pairs.</summary>
    private static HashSet<(int First, int Last)> DeclaredRanges(string text)
    {
        var sentence = RangesSentence().Match(text);
        Assert.IsTrue(sentence.Success, "a 'Ranges: …' sentence");
        return RangePair().Matches(sentence.Value.Replace("\n", " ").Replace("///", ""))
            .Select(pair => (int.Parse(pair.Groups["first"].Value, CultureInfo.InvariantCulture), int.Parse(pair.Groups["last"].Value, CultureInfo.InvariantCulture)))
            .ToHashSet();
    }

    [GeneratedRegex(@"^\| (?<code>GITOPS\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    // The section to the end of the file or the next heading; its list items start with the code.
    [GeneratedRegex(@"^## Retired codes\n(?:(?!^## ).*\n?)*", RegexOptions.Multiline)]
    private static partial Regex RetiredSection();

    [GeneratedRegex(@"^- (?<code>GITOPS\d{3}):", RegexOptions.Multiline)]
    private static partial Regex RetiredCode();

    [GeneratedRegex(@"^GITOPS\d{3}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^(?<code>GITOPS\d{3}): ")]
    private static partial Regex ResourceCode();

    // Up to the first full stop that ends the sentence (ranges hold none).
    [GeneratedRegex(@"Ranges: [^.]*\.")]
    private static partial Regex RangesSentence();

    [GeneratedRegex(@"\b(?<first>\d{3})-(?<last>\d{3})\b")]
    private static partial Regex RangePair();

    [GeneratedRegex(@"^\s*// ---- .*\((?<first>\d{3})-(?<last>\d{3})\) ----")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\s*public static readonly GitOpsError (?<name>\w+) = new\(""GITOPS(?<number>\d{3})""", RegexOptions.Multiline)]
    private static partial Regex Entry();

    // An imperative at the start of a sentence or clause: ". Set X", ": set X", ", or raise X".
    [GeneratedRegex(@"(?:^|[.:;]\s+|,\s+or\s+)(?:set|fix|use|check|commit|push|write|give|run|pass|unset|build|point|raise|choose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FixClause();
}
