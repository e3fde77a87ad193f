using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Tasks;

/// <summary>
/// GitOpsPullRequest's properties, parsed once, and the forge step they open: which forge and API, whose credentials
/// (a GitHub App's installation token serves git too). A dry run resolves no credentials and calls no API.
/// </summary>
internal static class PullRequestSetup
{
    /// <summary>The options, or null when GitOpsPullRequest is not true (GITOPS008/016 for bad values).</summary>
    /// <remarks>Parsed once with the other config inputs, in <see cref="ConfigInputs.Read"/>.</remarks>
    public static PullRequestOptions? Read(ConfigInputText text)
    {
        static bool Flag(string? value, string property) => Blank(value) is { } given && ManifestOptionsReader.ParseBoolean(given, property);

        if (!Flag(text.PullRequest, "GitOpsPullRequest"))
            return null;
        return new PullRequestOptions(
            Blank(text.Forge),
            Blank(text.ForgeApiUrl),
            Blank(text.PullRequestTitle),
            PullRequestOptions.List(text.PullRequestLabels),
            Flag(text.PullRequestDraft, "GitOpsPullRequestDraft"),
            PullRequestOptions.List(text.PullRequestReviewers),
            Flag(text.PullRequestAutoMerge, "GitOpsPullRequestAutoMerge"),
            Blank(text.PullRequestMergeMethod) is { } method ? ManifestOptionsReader.ParseEnum<MergeMethod>(method, "GitOpsPullRequestMergeMethod") : MergeMethod.Merge,
            Flag(text.PullRequestSupersede, "GitOpsPullRequestSupersede"));
    }

    /// <summary>
    /// The forge step for the config repository, with its credentials resolved (GITOPS120-124, 133-134, and the API's
    /// codes). <paramref name="http"/> is the proxy and CA trust parsed once with the other inputs: the API goes through
    /// git's HTTP stack, set up the same way.
    /// </summary>
    public static Proposal Open(PullRequestOptions options, ConfigRepositoryLocation location, HttpTransportSettings http, ConfigWrite write,
        Func<string, string?> getVariable, bool dryRun, IBuildLog log, CancellationToken cancellationToken)
    {
        var repository = ForgeRepository.Parse(location, options.Forge, options.ApiUrl);
        var deadline = new Deadline(write.Options.Timeout, cancellationToken);
        foreach (var variable in new[] { ForgeCredentials.ForgeTokenVariable })
            TextRule.RejectControlCharacters(getVariable(variable)?.Trim(), "The environment variable " + variable);
        // A dry run writes nothing, so it exchanges no App token (a POST) either: the client is built, never called.
        var access = dryRun
            ? new ForgeAccess(new ForgeCredentials("", "dry run"), null)
            : ForgeAccess.Resolve(repository, getVariable, http, deadline, log);
        var client = ForgeClients.Connect(repository, access.Api, http, deadline, log);
        return new Proposal(new PullRequestStep(client, options, log), location.IsHttp ? access.Git : null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The step, and git's credentials when the forge's replace them (a GitHub App over HTTPS).</summary>
    internal sealed class Proposal(PullRequestStep step, GitCredentials? gitCredentials) : IDisposable
    {
        public PullRequestStep Step => step;

        public GitCredentials? GitCredentials => gitCredentials;

        public void Dispose() => step.Dispose();
    }
}
