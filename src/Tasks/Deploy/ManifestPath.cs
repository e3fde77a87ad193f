using System.Text;
using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Deploy;

/// <summary>
/// A GitOpsManifestPath or GitOpsManifest item as a typed value, made once from the user's text: its canonical form
/// (<see cref="ConfigPath"/>, GITOPS007), and for a glob the folder to list and the compiled pattern. Every round
/// (every retry, every image of a release) uses it as it is: nothing is checked or derived again.
/// </summary>
internal sealed class ManifestPath
{
    private readonly Regex? pattern;

    private ManifestPath(string value)
    {
        Value = value;
        if (value.IndexOfAny(['*', '?']) < 0)
        {
            Directory = value;
            return;
        }

        // Only the folders before the first wildcard are listed.
        var segments = value.Split('/');
        Directory = string.Join('/', segments.TakeWhile(segment => segment.IndexOfAny(['*', '?']) < 0).Take(segments.Length - 1));
        pattern = GlobToRegex(value);
    }

    /// <exception cref="Diagnostics.GitOpsException">GITOPS007 when the path is empty, absolute, or leaves the repository.</exception>
    public static ManifestPath Parse(string path) => new(ConfigPath.Normalize(path));

    /// <summary>The canonical repository-relative form.</summary>
    public string Value { get; }

    /// <summary>A glob (`*` within a folder, `**` across folders, `?` one character): it selects from a listing.</summary>
    public bool IsPattern => pattern is not null;

    /// <summary>What is listed: the path itself (a file or directory), or for a glob the folders before its first wildcard ("" the root).</summary>
    public string Directory { get; }

    /// <summary>Whether a glob selects <paramref name="file"/> (a canonical path); false for a path that is not a glob.</summary>
    public bool Matches(string file) => pattern?.IsMatch(file) == true;

    public override string ToString() => Value;

    private static Regex GlobToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" anything below.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (glob[i] == '*') regex.Append("[^/]*");
            else if (glob[i] == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(glob[i].ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
