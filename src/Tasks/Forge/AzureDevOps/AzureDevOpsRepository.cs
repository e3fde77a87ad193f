namespace GitOps.Build.Forge.AzureDevOps;

/// <summary>
/// The repository every Azure DevOps call addresses, resolved once to its id (names may be renamed; ids are what the
/// calls take), and its branches' tips: shared by the pull requests' client and the API commits.
/// </summary>
internal sealed class AzureDevOpsRepository(ForgeHttp http)
{
    public const string ApiVersion = "7.1";

    public const string ZeroId = "0000000000000000000000000000000000000000";

    /// <summary>The repository as resolved by <see cref="PathAsync"/> (its default branch, its web URL); null before.</summary>
    public AzureRepository? Resolved { get; private set; }

    private string Project => ForgeCalls.Segment(http.Repository.Project ?? "");

    /// <summary>{project}/_apis/git/repositories/{id}.</summary>
    public async Task<string> PathAsync(CancellationToken cancellationToken)
    {
        Resolved ??= await http.GetAsync($"{Project}/_apis/git/repositories/{ForgeCalls.Segment(http.Repository.Name)}"
            + ForgeCalls.Query(("api-version", ApiVersion)), AzureDevOpsJson.Default.AzureRepository, null, cancellationToken).ConfigureAwait(false);
        return $"{Project}/_apis/git/repositories/{ForgeCalls.Segment(Resolved.Id)}";
    }

    /// <summary>The branch's tip, or null when it does not exist (the refs filter is a prefix: the name must match whole).</summary>
    public async Task<string?> TipOfAsync(string branch, CancellationToken cancellationToken)
    {
        var path = await PathAsync(cancellationToken).ConfigureAwait(false) + "/refs"
            + ForgeCalls.Query(("filter", "heads/" + branch), ("api-version", ApiVersion));
        var refs = await AzureDevOpsClient.GetListAsync(http, path, AzureDevOpsJson.Default.ListAzureRef, branch, cancellationToken).ConfigureAwait(false);
        return refs.FirstOrDefault(candidate => candidate.Name == Ref(branch))?.ObjectId;
    }

    public static string Ref(string branch) => "refs/heads/" + branch;

    public static string Branch(string? refName) =>
        refName is not null && refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName["refs/heads/".Length..] : refName ?? "";
}
