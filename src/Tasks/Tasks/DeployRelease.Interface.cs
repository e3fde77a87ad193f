using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class DeployRelease
{
    /// <summary>_GitOpsReleaseDirectory: where the projects left their entries (<see cref="WriteReleaseEntry"/>).</summary>
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

    /// <summary>With GitOpsWaitForDeploy: the agent's verdict on each commit waited on (success, failure, timeout), ';'-separated.</summary>
    [Output] public string DeployVerdict { get; private set; } = "";
}
