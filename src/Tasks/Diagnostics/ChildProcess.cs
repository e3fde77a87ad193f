using System.Diagnostics;

namespace GitOps.Build.Diagnostics;

/// <summary>
/// How every child process starts (ssh, ssh-keygen, gpg, gpgconf): no shell, the arguments as a list, its standard
/// streams redirected, and none of the build's secrets (<see cref="SecretVariables"/>) in its environment. A child
/// that needs one (ssh-keygen's passphrase) gets it back explicitly from its caller.
/// </summary>
internal static class ChildProcess
{
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        SecretVariables.RemoveFrom(start.Environment);
        return start;
    }
}
