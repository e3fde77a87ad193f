using System.Text.Json;
using System.Text;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Ci;

/// <summary>
/// Hands the outcome to whatever runs the build: always a JSON result file; under GitHub Actions step outputs and a
/// job summary, under Azure Pipelines output variables, under GitLab CI a dotenv report. It runs after the push: an
/// output that cannot be written (a full disk, a directory in GITHUB_OUTPUT) is warning GITOPS062, and the others are
/// still written.
/// </summary>
internal sealed class CiOutputWriter(Func<string, string?> environment, IBuildLog log)
{
    private const string GitHubOutput = "GITHUB_OUTPUT";
    internal const string GitHubStepSummary = "GITHUB_STEP_SUMMARY";
    private const string GitLabProjectDirectory = "CI_PROJECT_DIR";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The variables naming where outputs go, beyond the systems' own (see <see cref="CiSystems.Variables"/>).</summary>
    internal static IReadOnlyList<string> Variables { get; } = [GitHubOutput, GitHubStepSummary, GitLabProjectDirectory];

    public void Write(DeploymentOutcome outcome, string resultFile)
    {
        var get = CiSystems.NonEmpty(environment);
        WriteResultFile(outcome, resultFile);

        if (get(GitHubOutput) is { } outputs)
            WriteFile(outcome, $"step output file ({GitHubOutput})", outputs, () => Lines(outcome, "image", "digest", "config-commit", "config-branch", "images", "pull-request-url", "pull-request-number", "{0}={1}", CiText.OneLine), append: true);
        if (get(GitHubStepSummary) is { } summary)
            WriteFile(outcome, $"job summary file ({GitHubStepSummary})", summary, () => Markdown(outcome), append: true);

        if (get("TF_BUILD") is not null)
        {
            // The agent reads logging commands from the output stream, wherever MSBuild's logger puts them. Plain
            // variables serve later steps of the job as $(GitOpsImage); output variables later jobs as $(step.GitOpsImage).
            foreach (var format in new[] { "##vso[task.setvariable variable={0}]{1}", "##vso[task.setvariable variable={0};isOutput=true]{1}" })
            foreach (var line in Lines(outcome, "GitOpsImage", "GitOpsImageDigest", "GitOpsConfigCommit", "GitOpsConfigBranch", "GitOpsImages", "GitOpsPullRequestUrl", "GitOpsPullRequestNumber", format, CiText.AzureValue)
                         .Split('\n', StringSplitOptions.RemoveEmptyEntries))
                log.CiCommand(line);
        }

        if (get("GITLAB_CI") is not null)
        {
            var directory = get(GitLabProjectDirectory) ?? Directory.GetCurrentDirectory();
            WriteFile(outcome, $"dotenv report ({GitLabProjectDirectory}/gitops.env)", Path.Combine(directory, "gitops.env"),
                () => Lines(outcome, "GITOPS_IMAGE", "GITOPS_IMAGE_DIGEST", "GITOPS_CONFIG_COMMIT", "GITOPS_CONFIG_BRANCH", "GITOPS_IMAGES", "GITOPS_PULL_REQUEST_URL", "GITOPS_PULL_REQUEST_NUMBER", "{0}={1}", CiText.OneLine), append: false);
        }
    }

    /// <summary>Only the JSON result file: a release writes its outcome into every project's result file, its CI outputs once.</summary>
    public void WriteResultFile(DeploymentOutcome outcome, string resultFile) =>
        WriteFile(outcome, "result file (GitOpsResultFile)", resultFile, () => JsonSerializer.Serialize(outcome, Json) + "\n", append: false);

    // A release of several images has no single image or digest (empty); `images` names every image, space-separated.
    // The pull request's lines only with GitOpsPullRequest.
    private static string Lines(DeploymentOutcome outcome, string image, string digest, string commit, string branch, string images,
        string pullRequestUrl, string pullRequestNumber, string format, Func<string?, string> escape)
    {
        var text = new StringBuilder();
        var pullRequest = outcome.PullRequest is { } pr
            ? new[] { (pullRequestUrl, (string?)pr.Url), (pullRequestNumber, pr.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            : [];
        foreach (var (key, value) in new[]
                 {
                     (image, outcome.Image), (digest, outcome.Digest), (commit, outcome.ConfigCommit), (branch, outcome.ConfigBranch),
                     (images, string.Join(' ', outcome.Images.Select(i => i.Image))),
                 }.Concat(pullRequest))
            text.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, format, key, escape(value)).Append('\n');
        return text.ToString();
    }

    private static string Markdown(DeploymentOutcome outcome)
    {
        var commit = outcome.DryRun ? "dry run: nothing committed"
            : outcome.ConfigCommit is { } sha ? CiText.MarkdownCode(sha)
            : "already deployed: nothing to commit";
        var text = new StringBuilder().Append("### GitOps deploy\n\n| | |\n| --- | --- |\n");
        foreach (var image in outcome.Images)
            text.Append($"| Image | {CiText.MarkdownCode(image.Image)} |\n")
                .Append($"| Digest | {CiText.MarkdownCode(image.Digest)} |\n");
        text.Append($"| Config repository | {CiText.MarkdownText(outcome.ConfigRepository)} ({CiText.MarkdownCode(outcome.ConfigBranch)}) |\n")
            .Append($"| Commit | {commit} |\n");
        if (outcome.PullRequest is { } pullRequest)
            text.Append($"| Pull request | {CiText.MarkdownText(pullRequest.Url)} ({(pullRequest.Created ? "opened" : "updated")}) |\n");
        // The diff holds the config repository's lines as they are: a fence longer than any backtick run keeps them code.
        if (outcome.Diff.Length > 0)
            text.Append('\n').Append(CiText.MarkdownCodeBlock(outcome.Diff.TrimEnd(), "diff"));
        return text.Append('\n').ToString();
    }

    private void WriteFile(DeploymentOutcome outcome, string what, string path, Func<string> text, bool append)
    {
        try
        {
            UserFile.WriteText(path, text(), append);
        }
        // Whatever the reason (I/O, permissions, a path the platform refuses, even a bug formatting the text), the
        // deploy already happened: say so with the commit rather than fail with a stack trace.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Warning(Errors.OutputNotWritten, what, path, e.Message, Result(outcome));
        }
    }

    private static string Result(DeploymentOutcome outcome) =>
        outcome.DryRun ? "dry run, nothing committed"
        : outcome.ConfigCommit is { } sha ? $"config commit {sha} on '{outcome.ConfigBranch}' of {outcome.ConfigRepository}"
        : $"{outcome.ConfigRepository} ('{outcome.ConfigBranch}') already deployed it, nothing to commit";
}
