using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// A path as an ssh option's value (<c>-o UserKnownHostsFile=…</c>, <c>IdentityFile</c>, <c>ControlPath</c>). ssh reads
/// such a value with its own config parser (readconf.c): it is split into words at whitespace like a command line
/// (misc.c argv_split: "…" quotes, \" and \\ escape), so an unquoted "/k/known hosts" names two files, "/k/known" and
/// "hosts"; then <c>%x</c> tokens and <c>${NAME}</c> environment variables are expanded (<c>%%</c> is a literal %).
/// </summary>
internal static class SshOptionValue
{
    /// <summary><c>-o Keyword="path"</c>, quoted and escaped so that ssh reads exactly <paramref name="path"/>.</summary>
    public static string[] Path(string keyword, string path) => ["-o", keyword + "=" + Quote(path)];

    internal static string Quote(string path) =>
        Problem(path) is { } problem
            ? throw new ArgumentException($"'{path}' cannot be given to ssh: {problem}.", nameof(path))
            : "\"" + path.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("%", "%%", StringComparison.Ordinal) + "\"";

    /// <summary>GITOPS101 for a path no quoting can carry: ssh has no escape for "${", and a line break ends its line.</summary>
    /// <param name="path">A path for ssh.</param>
    /// <param name="namedBy">Where the path comes from, for the message: a variable, or TMPDIR for temporary files.</param>
    public static string Checked(string path, string namedBy) =>
        Problem(path) is { } problem ? throw new GitOpsException(Errors.SshPathUnusable, path, namedBy, problem) : path;

    /// <summary>Why no quoting carries <paramref name="path"/> to ssh; null when it can be given.</summary>
    internal static string? Problem(string path) =>
        path.Contains("${", StringComparison.Ordinal) ? "ssh would read '${' as the start of an environment variable"
        : path.Any(char.IsControl) ? "it holds a line break or another control character"
        : null;
}
