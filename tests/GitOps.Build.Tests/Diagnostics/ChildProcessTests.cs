using System.Text.RegularExpressions;
using GitOps.Build.Diagnostics;
using GitOps.Build.Tests.Docs;

namespace GitOps.Build.Tests.Diagnostics;

/// <summary>The one way children start (ChildProcess) removes every catalogued secret, and no code starts one otherwise.</summary>
[TestClass]
public sealed partial class ChildProcessTests
{
    [TestMethod]
    public void Every_child_process_of_the_product_starts_through_ChildProcess()
    {
        var sources = Path.Combine(SdkTargetsProperties.RepositoryRoot, "src", "Tasks");
        var starts = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => ProcessStart().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(sources, file).Replace('\\', '/'))
            .ToList();

        CollectionAssert.AreEqual(new[] { "Diagnostics/ChildProcess.cs" }, starts);
    }

    [TestMethod]
    public void The_start_info_holds_no_catalogued_secret_nor_a_proxy_password_but_keeps_the_rest()
    {
        var environment = new Dictionary<string, string?>
        {
            ["GITOPS_TOKEN"] = "t",
            ["GITOPS_SIGNING_PASSPHRASE"] = "p",
            ["HTTPS_PROXY"] = "http://user:pw@proxy:3128",
            ["http_proxy"] = "http://proxy:3128",
            ["PATH"] = "/usr/bin",
        };
        foreach (var name in SecretVariables.Names)
            environment[name] = "secret";

        SecretVariables.RemoveFrom(environment);

        CollectionAssert.AreEquivalent(new[] { "http_proxy", "PATH" }, environment.Keys.ToList());
        Assert.IsTrue(ChildProcess.StartInfo("true", []).Environment.Keys.All(name => !SecretVariables.Names.Contains(name)));
    }

    // A start info made elsewhere, or Process.Start with a program name, would copy this process's whole environment.
    [GeneratedRegex(@"new\s+ProcessStartInfo\b|Process\.Start\(\s*""")]
    private static partial Regex ProcessStart();
}
