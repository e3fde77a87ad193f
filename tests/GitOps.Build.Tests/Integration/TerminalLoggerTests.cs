using System.Text.RegularExpressions;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// An interactive `dotnet` run uses the terminal logger, which hides build messages below detailed verbosity (by
/// MSBuild's design). At -v:d the GitOps lines must read cleanly there too: whole lines, under their project. The
/// terminal is real: util-linux `script` gives the build a pseudo-terminal, as a developer's shell would.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed partial class TerminalLoggerTests
{
    [TestMethod]
    public void At_detailed_verbosity_the_terminal_logger_shows_each_GitOps_line_whole()
    {
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.Local();
        const string image = "127.0.0.1:5000/team/sample-app:abc1234";
        var command = string.Join(' ', "dotnet", "msbuild", "-tl:on", "-v:d", "-t:GitOpsUpdateConfig",
            $"-p:GitOpsImage={image}", $"'-p:GitOpsConfigRepository={config.Url}'");

        var result = ProcessRunner.Run("script", ["-qec", command, "/dev/null"], app.ProjectDirectory,
            SdkPackage.DotnetEnvironment(), TimeSpan.FromMinutes(3));

        Assert.IsTrue(result.Succeeded, result.ToString());
        // A terminal ends lines with \r\n; the terminal logger redraws status lines in place after a bare \r. Keep what
        // stays on screen, without escape sequences.
        var lines = Escape().Replace(result.StandardOutput, "").Split('\n')
            .Select(line => line.TrimEnd('\r').Split('\r')[^1].Trim()).ToList();
        Assert.IsTrue(lines.Any(line => line.StartsWith("GitOps: cloned ", StringComparison.Ordinal)), string.Join('\n', lines));
        Assert.IsTrue(lines.Any(line => line.StartsWith($"GitOps: edited {TestConfigRepository.DeploymentPath} ", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(line => line.StartsWith($"GitOps: deployed {image} to ", StringComparison.Ordinal) && line.EndsWith(" s]", StringComparison.Ordinal)),
            string.Join('\n', lines));
        Assert.AreEqual("Deploy team/sample-app:abc1234", config.Subject());
    }

    // CSI sequences (colours, cursor moves) and OSC sequences (progress, terminal title).
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")]
    private static partial Regex Escape();
}
