namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The URL schemes our subtransports are registered under with libgit2: private to this copy of the assembly, instead of
/// http, https and ssh. libgit2's transport registry is process-wide, and an MSBuild node may hold another copy of
/// GitOps.Build (another version, still loaded from an earlier build; a test host) and other tasks that use
/// LibGit2Sharp: taking over http, https or ssh would fail for the second copy and intercept the others' transfers.
/// libgit2 is given "&lt;scheme&gt;://x/&lt;escaped URL&gt;", and hands that back whole to the subtransport.
/// </summary>
internal static class PrivateScheme
{
    private const string Host = "://x/";
    private static readonly string Prefix = "gitops" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The scheme for one transport (http, https, ssh) of this copy.</summary>
    public static string For(string transport) => $"{Prefix}-{transport}";

    /// <summary>The URL libgit2 is given for <paramref name="url"/>, routed to this copy's <paramref name="transport"/>.</summary>
    public static string Wrap(string transport, string url) => For(transport) + Host + Uri.EscapeDataString(url);

    /// <summary>The URL a subtransport was asked for, as the user gave it.</summary>
    /// <exception cref="InvalidOperationException">Not one of ours: libgit2 routed another URL here.</exception>
    public static string Unwrap(string url)
    {
        var start = url.IndexOf(Host, StringComparison.Ordinal);
        if (start < 0 || !url.StartsWith(Prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"GitOps.Build: libgit2 asked for a URL that is not one of its own ({url}).");
        return Uri.UnescapeDataString(url[(start + Host.Length)..]);
    }
}
