using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Integration;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>Every line of Messages.cs is read from Strings.resx, and every message resource is used.</summary>
[TestClass]
public sealed partial class MessageResourceTests
{
    private static readonly string Sources = Path.Combine(SdkPackage.RepositoryRoot, "src", "Tasks", "Diagnostics");

    private static IEnumerable<MethodInfo> Methods =>
        typeof(Messages).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(method => method.ReturnType == typeof(string));

    /// <summary>
    /// Each method, once with values in every argument and once with nulls, empty strings and zeros: between them
    /// every branch (a piece of a line left out or put in) reads its resource and fills it in.
    /// </summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Every_message_finds_its_resources_and_fills_every_placeholder(bool empty)
    {
        var failures = new List<string>();
        foreach (var method in Methods)
        {
            try
            {
                var text = (string)method.Invoke(null, method.GetParameters().Select(parameter => Argument(parameter, empty)).ToArray())!;
                if (Placeholder().IsMatch(text)) failures.Add($"{method.Name}: '{text}' left a placeholder");
            }
            catch (TargetInvocationException e)
            {
                failures.Add($"{method.Name}: {e.InnerException!.Message}");
            }
        }

        Assert.IsTrue(Methods.Count() > 40, "reflection found the messages");
        Assert.AreEqual("", string.Join("\n", failures));
    }

    [TestMethod]
    public void Every_message_resource_is_used_by_Messages_cs()
    {
        var source = File.ReadAllText(Path.Combine(Sources, "Messages.cs"));
        var unused = XDocument.Load(Path.Combine(Sources, "Strings.resx")).Root!.Elements("data")
            .Where(data => !((string)data.Element("value")!).StartsWith("GITOPS", StringComparison.Ordinal))
            .Select(data => (string)data.Attribute("name")!)
            .Where(name => !source.Contains($"nameof({name})", StringComparison.Ordinal) && !source.Contains($"\"{name}\"", StringComparison.Ordinal))
            .ToList();

        Assert.AreEqual("", string.Join(", ", unused), "resources no message reads: remove them, or read them");
    }

    [TestMethod]
    public void Lines_read_from_the_resources_are_the_ones_the_log_has_always_shown()
    {
        Assert.AreEqual("GitOps: cloning http://h/c.git (main) in the background while the app is built", Messages.CloningDuringBuild("http://h/c.git", "main"));
        Assert.AreEqual("GitOps: skipped a.yaml: a Go template ({{ … }}), not YAML until rendered", Messages.TemplateSkipped("a.yaml"));
        Assert.AreEqual("a, b … and 2 more", Messages.List(["a", "b", "c", "d"], shown: 2));
        Assert.AreEqual("GitOps: pushed image r/a:1 (sha256:x) [1.50 s]", Messages.ImagePushed("r/a:1", "sha256:x", TimeSpan.FromSeconds(1.5)));
        Assert.AreEqual("GitOps: pushed image r/a:1 (sha256:x)", Messages.ImagePushed("r/a:1", "sha256:x", null));
        Assert.AreEqual("GitOps: staging (main): r/a:1 from commit abc; deployed in 1234567 on 2026-01-02 03:04:05 UTC by http://ci/1; 2 behind",
            Messages.StatusLine("staging", "main", "r/a:1", "abc", "1234567890", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "http://ci/1", "2 behind"));
        Assert.AreEqual("GitOps: staging (main at 1234567) runs r/a:1, deploy commit not found",
            Messages.PromotionSource("staging", "main", "1234567890", "r/a:1", null, null));
        Assert.AreEqual("GitOps: GitOpsCommitMethod=api: the GitHub API https://api.github.com/ makes the commit (a GitHub App's: GitHub signs it unless GitOpsCommitAuthorName/Email name someone).",
            Messages.ForgeApiCommits("GitHub", "https://api.github.com/", gitHubApp: true));
        Assert.AreEqual("GitOps: GitOpsCommitMethod=api: the GitLab API https://gitlab.example.com/api/v4/ makes the commit.",
            Messages.ForgeApiCommits("GitLab", "https://gitlab.example.com/api/v4/", gitHubApp: false));
    }

    private static object? Argument(ParameterInfo parameter, bool empty)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var nullable = Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            || new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;
        if (empty && nullable) return null;
        return type switch
        {
            _ when type == typeof(string) => empty ? "" : "value",
            _ when type == typeof(int) => empty ? 0 : 3,
            _ when type == typeof(long) => empty ? 0L : 4096L,
            _ when type == typeof(bool) => !empty,
            _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(1.25),
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.UnixEpoch,
            _ when type == typeof(IEnumerable<int>) => new[] { 1, 2 },
            _ when type == typeof(IEnumerable<string>) || type == typeof(IReadOnlyCollection<string>) => new[] { "a", "b" },
            _ => throw new InvalidOperationException($"no sample for {parameter.ParameterType} {parameter.Name}: add one"),
        };
    }

    // A {0} or {name} that string.Format left behind; the Go template's literal braces are "{{ … }}".
    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
