using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>
/// Git's rules for a branch name, as <c>git check-ref-format --branch</c> applies them: the ref-format rules for
/// refs/heads/&lt;name&gt; plus "not HEAD" and "not starting with '-'". Checked before any network round trip, because
/// libgit2 accepts names such as HEAD and -x that git itself refuses to check out.
/// </summary>
internal static class BranchNameRule
{
    /// <summary>Why <paramref name="name"/> is not a branch name git accepts, or null when it is one.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name == "HEAD") return "HEAD names the current commit, not a branch";
        if (name[0] == '-') return "it starts with '-'";
        if (name.IndexOf("..", StringComparison.Ordinal) >= 0) return "it contains '..'";
        if (name.IndexOf("@{", StringComparison.Ordinal) >= 0) return "it contains '@{'";
        if (name.IndexOf("//", StringComparison.Ordinal) >= 0) return "it contains '//'";
        if (name[0] == '/' || name[^1] == '/') return "it starts or ends with '/'";
        if (name[^1] == '.') return "it ends with '.'";
        foreach (var c in name)
        {
            if (char.IsControl(c) && c < 0x80) return $"it contains the control character {TextRule.Describe(c)}";
            if (c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\') return $"it contains '{c}'";
        }
        foreach (var component in name.Split('/'))
        {
            if (component.StartsWith('.')) return $"the part '{component}' starts with '.'";
            if (component.EndsWith(".lock", StringComparison.Ordinal)) return $"the part '{component}' ends with '.lock'";
        }
        return null;
    }

    /// <summary>GitOpsConfigBranch: null or blank means the remote's default branch.</summary>
    /// <exception cref="GitOpsException">GITOPS039 naming GitOpsConfigBranch.</exception>
    public static string? ValidateConfigBranch(string? branch) =>
        string.IsNullOrWhiteSpace(branch) || Problem(branch) is not { } problem
            ? branch
            : throw new GitOpsException(Errors.ConfigBranchInvalid, TextRule.Printable(branch), problem);

    /// <summary>GitOpsConfigPushBranch after its template was expanded.</summary>
    /// <exception cref="GitOpsException">GITOPS018 naming GitOpsConfigPushBranch.</exception>
    public static string ValidatePushBranch(string branch) =>
        Problem(branch) is { } problem ? throw new GitOpsException(Errors.PushBranchInvalid, TextRule.Printable(branch), problem) : branch;
}
