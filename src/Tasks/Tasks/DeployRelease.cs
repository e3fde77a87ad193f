using System.Text.Json;
using GitOps.Build.Ci;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// In a solution or traversal project, after every project was published (MSBuild runs it only if all of them
/// succeeded, so an image that failed to push means no commit): deploys the images the projects left in the release
/// directory, one commit per (config repository, branch), and deletes the directory.
/// </summary>
public sealed class DeployRelease : ConfigUpdateTask
{
    [Required] public string ReleaseDirectory { get; set; } = "";

    /// <summary>The solution or traversal project, for messages.</summary>
    public string? ReleaseProject { get; set; }

    /// <summary>The config commits made, one per (config repository, branch), ';'-separated.</summary>
    [Output] public string ConfigCommits { get; private set; } = "";

    /// <summary>The branches written to, in the order of <see cref="ConfigCommits"/>.</summary>
    [Output] public string ConfigBranches { get; private set; } = "";

    /// <summary>With GitOpsPullRequest: the pull requests' web pages and numbers, one per commit, ';'-separated.</summary>
    [Output] public string PullRequestUrl { get; private set; } = "";

    [Output] public string PullRequestNumber { get; private set; } = "";

    protected override void ExecuteCore()
    {
        try
        {
            Release();
        }
        finally
        {
            TempDirectory.TryDelete(ReleaseDirectory);
        }
    }

    private void Release()
    {
        var entries = ReadEntries();
        if (entries.Count == 0)
        {
            BuildLog.Warning(Errors.ReleaseEmpty, ReleaseProject ?? "the solution");
            return;
        }

        // Every entry is checked, and every group agrees, before anything is cloned: a release is refused whole.
        var groups = entries
            .Select(entry => (Entry: entry, Request: Request(entry)))
            .GroupBy(e => (e.Request.ConfigRepository.DisplayUrl, Branch: e.Request.ConfigBranch ?? ""))
            .Select(group => group.ToList())
            .ToList();
        foreach (var group in groups)
        {
            Agree(group, "GitOpsCommitSigningFormat", e => Blank(e.CommitSigningFormat));
            Agree(group, "GitOpsCommitSigningKey", e => Blank(e.CommitSigningKey));
            Agree(group, "GitOpsPushRetries", e => NumberRule.PushRetries(e.PushRetries).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Agree(group, "GitOpsConfigTimeout", e => NumberRule.ConfigTimeoutSeconds(e.TimeoutSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Agree(group, "GitOpsConfigRepository", e => Blank(e.ConfigRepository));
            Agree(group, "GitOpsPullRequest", e => Blank(e.PullRequest));
            Agree(group, "GitOpsForge", e => Blank(e.Forge));
            Agree(group, "GitOpsForgeApiUrl", e => Blank(e.ForgeApiUrl));
            Agree(group, "GitOpsPullRequestTitle", e => Blank(e.PullRequestTitle));
            Agree(group, "GitOpsPullRequestLabels", e => Blank(e.PullRequestLabels));
            Agree(group, "GitOpsPullRequestDraft", e => Blank(e.PullRequestDraft));
            Agree(group, "GitOpsPullRequestReviewers", e => Blank(e.PullRequestReviewers));
            Agree(group, "GitOpsPullRequestAutoMerge", e => Blank(e.PullRequestAutoMerge));
            Agree(group, "GitOpsPullRequestMergeMethod", e => Blank(e.PullRequestMergeMethod));
            Agree(group, "GitOpsPullRequestSupersede", e => Blank(e.PullRequestSupersede));
        }
        BuildLog.Important(Messages.ReleaseDeploying(entries.Count, groups.Count));

        var commits = new List<string>();
        var branches = new List<string>();
        var pullRequests = new List<PullRequestReport>();
        foreach (var group in groups)
        {
            var (result, outcome) = Deploy(group.Select(e => e.Request).ToList(), group[0].Entry);
            commits.Add(result.CommitSha ?? "");
            branches.Add(result.Branch);
            ConfigCommits = string.Join(';', commits.Where(c => c.Length > 0));
            ConfigBranches = string.Join(';', branches);
            if (outcome.PullRequest is { } pullRequest) pullRequests.Add(pullRequest);
            PullRequestUrl = string.Join(';', pullRequests.Select(p => p.Url));
            PullRequestNumber = string.Join(';', pullRequests.Select(p => p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // Every project's result file lists the whole release; the CI outputs are written once per commit.
            var writer = new CiOutputWriter(GetEnvironmentVariable, BuildLog);
            var resultFiles = group.Select(e => Blank(e.Entry.ResultFile)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (resultFiles.Count > 0)
                writer.Write(outcome, resultFiles[0]);
            foreach (var file in resultFiles.Skip(1))
                writer.WriteResultFile(outcome, file);
        }
    }

    private List<ReleaseEntry> ReadEntries()
    {
        if (!Directory.Exists(ReleaseDirectory)) return [];
        return Directory.EnumerateFiles(ReleaseDirectory, "*.json")
            .Select(path => JsonSerializer.Deserialize<ReleaseEntry>(File.ReadAllText(path), WriteReleaseEntry.Json)
                            ?? throw new InvalidDataException("empty release entry " + path))
            // Projects in a stable order (the commit message, the trailers), whatever order the nodes finished in.
            .OrderBy(entry => entry.ProjectPath, StringComparer.Ordinal)
            .ThenBy(entry => entry.Image, StringComparer.Ordinal)
            .ToList();
    }

    private static void Agree(List<(ReleaseEntry Entry, DeploymentRequest Request)> group, string property, Func<ReleaseEntry, string?> value)
    {
        var values = group.GroupBy(e => value(e.Entry) ?? "", StringComparer.Ordinal).ToList();
        if (values.Count > 1)
            throw new GitOpsException(Errors.ReleaseDisagrees, group[0].Request.ConfigRepository.DisplayUrl,
                $"{property} differs: " + string.Join("; ", values.Select(g => $"'{(property == "GitOpsConfigRepository" ? UrlRedactor.Redact(g.Key) : g.Key)}' in {string.Join(", ", g.Select(e => e.Entry.ProjectPath))}")));
    }
}
