using GitOps.Build.AppRepo;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>What is deployed and where it came from: the content of the commit's provenance.</summary>
/// <remarks>
/// AppCommit: the app commit for Argo CD's commit-tracing trailers; null writes none (GitOpsArgoCdTrailers=false).
/// MoreTrailers: written after the GitOps ones, before Argo CD's (a promotion's GitOps-Promoted-From and the trailers it carries over).
/// </remarks>
internal sealed record DeploymentFacts(
    ImageReference Image,
    string? ImageDigest,
    string? SourceCommit,
    string? SourceRepository,
    string? Project,
    string? BuildUrl = null,
    AppCommit? AppCommit = null,
    IReadOnlyList<KeyValuePair<string, string>>? MoreTrailers = null);
