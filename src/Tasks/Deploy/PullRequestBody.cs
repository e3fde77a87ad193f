using System.Text;
using System.Text.RegularExpressions;
using GitOps.Build.Ci;

namespace GitOps.Build.Deploy;

/// <summary>
/// The pull request's description, in Markdown: each image with its digest and a link to its source commit (and a
/// compare link from the commit it replaces, where the forge has one), the build URL, the diff, and a hidden block
/// of the deploy's trailers by which a later run recognises the pull requests this product opened (supersede).
/// Everything taken from outside (image names, URLs, diff text) is escaped so it renders as text, never as markup.
/// </summary>
internal static partial class PullRequestBody
{
    public const string MarkerStart = "<!-- GitOps.Build deploy";
    public const string ManifestsTrailer = "GitOps-Manifests";

    public static string Render(DeploymentOutcome outcome, IReadOnlyList<string?> previousTags, string baseBranch)
    {
        var text = new StringBuilder();
        text.Append($"Deploys to {CiText.MarkdownCode(baseBranch)} of {CiText.MarkdownText(outcome.ConfigRepository)}.\n\n");
        text.Append("| image | digest | source |\n| --- | --- | --- |\n");
        var images = outcome.Images;
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            var source = image.SourceCommit is { } commit ? SourceLink(outcome.SourceRepository, commit, previousTags.ElementAtOrDefault(i)) : "";
            text.Append($"| {CiText.MarkdownCode(image.Image)} | {(image.Digest is { } d ? CiText.MarkdownCode(d) : "")} | {source} |\n");
        }
        if (SafeUrl(outcome.BuildUrl) is { } build)
            text.Append($"\nBuild: <{build}>\n");
        if (outcome.Diff.Length > 0)
            text.Append("\n<details><summary>Diff</summary>\n\n").Append(CiText.MarkdownCodeBlock(outcome.Diff.TrimEnd(), "diff")).Append("\n</details>\n");
        text.Append('\n').Append(MarkerStart).Append(" (a later run recognises this pull request by these lines)\n");
        foreach (var image in images)
            text.Append(CommitMessage.ImageTrailer).Append(": ").Append(Comment(image.Image)).Append('\n');
        text.Append(ManifestsTrailer).Append(": ").Append(Comment(string.Join(" ", outcome.Files))).Append("\n-->\n");
        return text.ToString();
    }

    /// <summary>The image names (without tag or digest) and manifests a body's hidden block records; null if it has none.</summary>
    public static (IReadOnlySet<string> Images, IReadOnlySet<string> Manifests)? Recognise(string body)
    {
        var start = body.IndexOf(MarkerStart, StringComparison.Ordinal);
        if (start < 0) return null;
        var end = body.IndexOf("-->", start, StringComparison.Ordinal);
        var block = body[start..(end < 0 ? body.Length : end)].ReplaceLineEndings("\n").Split('\n');
        var images = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var manifests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in block)
        {
            if (line.Split(": ", 2) is not [var key, var value]) continue;
            if (key == CommitMessage.ImageTrailer) images.Add(NameOf(value.Trim()));
            else if (key == ManifestsTrailer) manifests.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return images.Count == 0 ? null : (images, manifests);
    }

    /// <summary>registry/team/web:tag@sha256:… → registry/team/web.</summary>
    public static string NameOf(string image)
    {
        var at = image.IndexOf('@');
        var name = at < 0 ? image : image[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>The tag an old image value carried, when it is a commit abbreviation (GitOps.Build's default tags).</summary>
    public static string? CommitTag(string? oldValue)
    {
        if (oldValue is null) return null;
        var tag = oldValue.Contains('/') || oldValue.Contains(':') ? oldValue[(NameOf(oldValue).Length)..].TrimStart(':').Split('@')[0] : oldValue;
        return HexCommit().IsMatch(tag) ? tag : null;
    }

    private static string SourceLink(string? repository, string commit, string? previous)
    {
        var shortSha = commit.Length > 7 ? commit[..7] : commit;
        if (WebRoot(repository) is not { } web || !HexCommit().IsMatch(commit))
            return CiText.MarkdownCode(shortSha);
        var link = $"[{shortSha}]({web}/commit/{commit})";
        if (previous is not null && !commit.StartsWith(previous, StringComparison.OrdinalIgnoreCase) && CompareUrl(web, previous, commit) is { } compare)
            link += $" ([compare]({compare}))";
        return link;
    }

    // GitHub, Gitea and GitLab compare two commits by URL; Azure DevOps and Bitbucket compare branches only.
    private static string? CompareUrl(string web, string from, string to) =>
        web.Contains("dev.azure.com", StringComparison.OrdinalIgnoreCase) || web.Contains("visualstudio.com", StringComparison.OrdinalIgnoreCase)
        || web.Contains("bitbucket", StringComparison.OrdinalIgnoreCase)
            ? null
            : web.Contains("gitlab", StringComparison.OrdinalIgnoreCase) ? $"{web}/-/compare/{from}...{to}" : $"{web}/compare/{from}...{to}";

    /// <summary>https://host/team/app(.git) as a web root; null for SSH, credentials-bearing or odd URLs.</summary>
    private static string? WebRoot(string? repository)
    {
        if (SafeUrl(repository) is not { } url) return null;
        url = url.TrimEnd('/');
        return url.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? url[..^4] : url;
    }

    /// <summary>An http(s) URL without user info, with the characters that could end a Markdown link percent-encoded.</summary>
    private static string? SafeUrl(string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
            return null;
        return uri.AbsoluteUri.Replace("(", "%28").Replace(")", "%29").Replace("<", "%3C").Replace(">", "%3E").Replace(" ", "%20");
    }

    // An HTML comment ends at "-->": keep values from closing it.
    private static string Comment(string value) => value.ReplaceLineEndings(" ").Replace("--", "- -");

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$")]
    private static partial Regex HexCommit();
}
