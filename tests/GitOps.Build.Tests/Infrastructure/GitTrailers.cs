namespace GitOps.Build.Tests.Infrastructure;

/// <summary>Trailers of a commit message as `git interpret-trailers --parse` reads them: what tooling downstream sees.</summary>
internal static class GitTrailers
{
    public static Dictionary<string, string> Parse(string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, message);
            var parsed = ProcessRunner.Run("git", ["interpret-trailers", "--parse", file]);
            Assert.IsTrue(parsed.Succeeded, parsed.ToString());
            return parsed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
