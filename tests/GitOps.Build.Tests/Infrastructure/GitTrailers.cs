namespace GitOps.Build.Tests.Infrastructure;

/// <summary>Trailers of a commit message as `git interpret-trailers --parse` reads them: what tooling downstream sees.</summary>
internal static class GitTrailers
{
    public static Dictionary<string, string> Parse(string message) =>
        ParseAll(message).ToDictionary(trailer => trailer.Key, trailer => trailer.Value);

    /// <summary>Every trailer in order, repeated keys included (a release names several images).</summary>
    public static List<KeyValuePair<string, string>> ParseAll(string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, message);
            var parsed = ProcessRunner.Run("git", ["interpret-trailers", "--parse", file]);
            Assert.IsTrue(parsed.Succeeded, parsed.ToString());
            return parsed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""))
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
