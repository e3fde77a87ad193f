namespace GitOps.Build.Tests.Fixtures;

/// <summary>A script a test writes for git or the writer to run (a server hook, a stand-in for ssh).</summary>
internal static class ShellScript
{
    /// <summary>Writes <paramref name="text"/> (its #! line included) to <paramref name="path"/>, executable as git's hooks are (755).</summary>
    public static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
    }
}
