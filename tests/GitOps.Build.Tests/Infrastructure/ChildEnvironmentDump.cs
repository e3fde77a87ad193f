using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Infrastructure;

/// <summary>
/// Sets every secret of <see cref="SecretVariables"/> (and a proxy URL with a password) in this test process's own
/// environment, which each child inherits unless the product removes it, and makes wrapper scripts that record the
/// environment a child really got. A wrapper, because a child's environment cannot be seen from outside once it has
/// exited; it then execs the real program, so the product talks to the real ssh, ssh-keygen and gpg. Tests using it
/// must be [DoNotParallelize]: the variables are process-wide while it lives.
/// </summary>
internal sealed class ChildEnvironmentDump : IDisposable
{
    public const string ProxyPassword = "proxy-secret-pw";
    private const string Control = "GITOPS_TEST_CHILD_ENVIRONMENT_CONTROL";

    private readonly Dictionary<string, string?> saved = [];

    public ChildEnvironmentDump()
    {
        Root = Directory.CreateTempSubdirectory("gitops-child-env-").FullName;
        Bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        Dumps = Directory.CreateDirectory(Path.Combine(Root, "dumps")).FullName;
        var marker = Guid.NewGuid().ToString("N")[..12];
        foreach (var name in SecretVariables.Names)
            Set(name, $"secret-{name}-{marker}");
        Set("https_proxy", $"http://user:{ProxyPassword}@127.0.0.1:9");
        Set(Control, "visible");
    }

    public string Root { get; }

    /// <summary>The wrappers' directory: put it first on PATH, or name a wrapper as the program.</summary>
    public string Bin { get; }

    private string Dumps { get; }

    /// <summary>The secret values that no child may see.</summary>
    public IEnumerable<string> SecretValues => saved.Keys.Where(name => name != Control).Select(name => Environment.GetEnvironmentVariable(name)!)
        .Select(value => value.Contains(ProxyPassword, StringComparison.Ordinal) ? ProxyPassword : value);

    /// <summary>A script named <paramref name="program"/> in <see cref="Bin"/> that records its environment, then runs the real one.</summary>
    public string Wrap(string program)
    {
        var real = ProcessRunner.Run("sh", ["-c", "command -v " + program]).StandardOutput.Trim();
        var wrapper = Path.Combine(Bin, program);
        File.WriteAllText(wrapper, $"#!/bin/sh\nenv -0 > '{Dumps}/{program}.env.'$$\nprintf '%s' \"$*\" > '{Dumps}/{program}.args.'$$\nexec '{real}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    /// <summary>Each recorded run of <paramref name="program"/>: its variables.</summary>
    public IReadOnlyList<Dictionary<string, string>> Runs(string program) =>
        Directory.GetFiles(Dumps, program + ".env.*").Select(file => Parse(File.ReadAllText(file))).ToList();

    /// <summary>Each recorded run's command line, its arguments joined by spaces.</summary>
    public IReadOnlyList<string> CommandLines(string program) =>
        Directory.GetFiles(Dumps, program + ".args.*").Select(File.ReadAllText).ToList();

    /// <summary>Asserts that <paramref name="environment"/> is a real dump and holds no secret (but <paramref name="allowed"/>).</summary>
    public void AssertClean(string who, IReadOnlyDictionary<string, string> environment, params string[] allowed)
    {
        Assert.AreEqual("visible", environment.GetValueOrDefault(Control), $"{who}: the dump holds the inherited environment");
        foreach (var (name, value) in environment.Where(entry => !allowed.Contains(entry.Key)))
            foreach (var secret in SecretValues)
                Assert.IsFalse(value.Contains(secret, StringComparison.Ordinal), $"{who} got a secret in {name}");
    }

    internal static Dictionary<string, string> Parse(string nulSeparated) =>
        nulSeparated.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0]).ToDictionary(group => group.Key, group => group.Last()[1]);

    private void Set(string name, string value)
    {
        saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
            Environment.SetEnvironmentVariable(name, value);
        GitOps.Build.ConfigRepo.TempDirectory.TryDelete(Root);
    }
}
