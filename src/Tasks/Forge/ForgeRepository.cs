using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge;

/// <summary>
/// The config repository as its forge's API names it: the forge, the REST root the API calls go to (and the only
/// origin that gets the forge's credentials), and the repository's coordinates there.
/// </summary>
/// <param name="Kind">GitOpsForge, or inferred from the host.</param>
/// <param name="ApiRoot">GitOpsForgeApiUrl, or inferred; always ends with '/' so relative paths resolve under it.</param>
/// <param name="Owner">
/// GitHub and Gitea: the owner; GitLab: the whole namespace path (<c>group/subgroup</c>); Azure DevOps: the
/// organization; Bitbucket: the workspace.
/// </param>
/// <param name="Project">Azure DevOps only: the project that holds the repository.</param>
/// <param name="Name">The repository (Bitbucket: its slug).</param>
/// <param name="DisplayUrl">The config repository as shown in messages (redacted).</param>
internal sealed record ForgeRepository(ForgeKind Kind, Uri ApiRoot, string Owner, string? Project, string Name, string DisplayUrl)
{
    /// <summary>owner/name (GitLab: namespace/project; Azure DevOps: organization/project/name), for messages.</summary>
    public string FullName => Project is null ? $"{Owner}/{Name}" : $"{Owner}/{Project}/{Name}";

    /// <summary>GitHub's GraphQL endpoint beside the REST root: /graphql on api.github.com, /api/graphql on Enterprise Server.</summary>
    public Uri GraphQlEndpoint => ApiRoot.AbsolutePath.TrimEnd('/').EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)
        ? new Uri(ApiRoot, ApiRoot.AbsolutePath.TrimEnd('/')[..^"/v3".Length] + "/graphql")
        : new Uri(ApiRoot, ApiRoot.AbsolutePath.TrimEnd('/') + "/graphql");

    /// <summary>
    /// Reads the forge from GitOpsForge (else the host), its API root from GitOpsForgeApiUrl (else inferred), and the
    /// repository's coordinates from the config repository's HTTPS or SSH URL.
    /// </summary>
    /// <exception cref="GitOpsException">GITOPS016, GITOPS120-123.</exception>
    public static ForgeRepository Parse(ConfigRepositoryLocation location, string? forge, string? apiUrl)
    {
        var (host, segments, isSsh) = HostAndPath(location);
        var kind = KindOf(forge, host, location.DisplayUrl);
        var explicitApi = ApiUrlOf(apiUrl, kind);
        return kind switch
        {
            ForgeKind.GitHub => LastTwo(kind, location, segments,
                explicitApi ?? (IsHost(host, "github.com") ? new Uri("https://api.github.com/")
                    : Conventional(kind, location, host, isSsh, "/api/v3", "https://ghe.example.com/api/v3"))),
            ForgeKind.Gitea => LastTwo(kind, location, segments,
                explicitApi ?? Conventional(kind, location, host, isSsh, "/api/v1", "https://gitea.example.com/api/v1")),
            ForgeKind.GitLab => GitLab(location, segments,
                explicitApi ?? (IsHost(host, "gitlab.com") ? new Uri("https://gitlab.com/api/v4/")
                    : Conventional(kind, location, host, isSsh, "/api/v4", "https://gitlab.example.com/api/v4"))),
            ForgeKind.Bitbucket => LastTwo(kind, location, segments,
                explicitApi ?? (IsHost(host, "bitbucket.org") ? new Uri("https://api.bitbucket.org/2.0/")
                    : throw new GitOpsException(Errors.ForgeApiUrlUnknown, kind, location.DisplayUrl,
                        $" from its host '{host}'", "https://api.bitbucket.org/2.0"))),
            _ => AzureDevOps(location, host, segments, explicitApi),
        };
    }

    private static (string Host, string[] Segments, bool IsSsh) HostAndPath(ConfigRepositoryLocation location)
    {
        // The typed address ConfigRepositoryLocation.Parse made: never parsed again.
        if (location.Ssh is { } ssh)
            return (ssh.Host.ToLowerInvariant(), Segments(ssh.Path), true);
        if (location.HttpUrl is { } uri)
            return (uri.IdnHost.ToLowerInvariant(), Segments(Uri.UnescapeDataString(uri.AbsolutePath)), false);
        // A local path or file:// URL has no forge of its own: GitOpsForge and GitOpsForgeApiUrl must say.
        return ("", Segments((location.LocalPath ?? "").Replace('\\', '/')), false);
    }

    private static string[] Segments(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(segment => segment != "~").ToArray();

    private static ForgeKind KindOf(string? forge, string host, string displayUrl)
    {
        if (!string.IsNullOrWhiteSpace(forge))
        {
            return Enum.TryParse<ForgeKind>(forge.Trim(), ignoreCase: true, out var named) && Enum.IsDefined(named)
                && !int.TryParse(forge, out _)
                ? named
                : throw new GitOpsException(Errors.InvalidChoice, "GitOpsForge", forge, string.Join(", ", Enum.GetNames<ForgeKind>()));
        }
        if (IsHost(host, "github.com")) return ForgeKind.GitHub;
        if (IsHost(host, "gitlab.com")) return ForgeKind.GitLab;
        if (IsHost(host, "bitbucket.org")) return ForgeKind.Bitbucket;
        if (host is "dev.azure.com" or "ssh.dev.azure.com" || host.EndsWith(".visualstudio.com", StringComparison.Ordinal))
            return ForgeKind.AzureDevOps;
        throw new GitOpsException(Errors.ForgeUnknown, displayUrl, host.Length == 0 ? "(a local path)" : host);
    }

    // www.github.com and the like serve the same repositories; ssh.github.com is GitHub's SSH over port 443.
    private static bool IsHost(string host, string name) => host == name || host == "www." + name || host == "ssh." + name || host == "altssh." + name;

    private static Uri? ApiUrlOf(string? apiUrl, ForgeKind kind)
    {
        if (string.IsNullOrWhiteSpace(apiUrl))
            return null;
        var text = apiUrl.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new GitOpsException(Errors.ForgeApiUrlInvalid, UrlRedactor.Redact(text), Example(kind));
        // A trailing slash makes relative paths resolve under the root, not beside its last segment.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    /// <summary>A self-hosted forge serves its API under the web origin; from an SSH URL that origin is unknown.</summary>
    private static Uri Conventional(ForgeKind kind, ConfigRepositoryLocation location, string host, bool isSsh, string path, string example)
    {
        if (isSsh || !location.IsHttp || host.Length == 0)
            throw new GitOpsException(Errors.ForgeApiUrlUnknown, kind, location.DisplayUrl,
                isSsh ? " from an SSH URL of a self-hosted forge" : " from a local path", example);
        var web = location.HttpUrl!;
        return new Uri($"{web.Scheme}://{web.Authority}{path}/");
    }

    private static string Example(ForgeKind kind) => kind switch
    {
        ForgeKind.GitHub => "https://ghe.example.com/api/v3",
        ForgeKind.GitLab => "https://gitlab.example.com/api/v4",
        ForgeKind.AzureDevOps => "https://dev.azure.com/{organization}",
        ForgeKind.Bitbucket => "https://api.bitbucket.org/2.0",
        _ => "https://gitea.example.com/api/v1",
    };

    private static string TrimGit(string name) => name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;

    private static ForgeRepository LastTwo(ForgeKind kind, ConfigRepositoryLocation location, string[] segments, Uri api) =>
        segments.Length >= 2 && TrimGit(segments[^1]).Length > 0
            ? new ForgeRepository(kind, api, segments[^2], null, TrimGit(segments[^1]), location.DisplayUrl)
            : throw new GitOpsException(Errors.ForgeRepositoryPathInvalid, location.DisplayUrl, kind,
                kind == ForgeKind.Bitbucket ? "{workspace}/{slug}" : "{owner}/{repository}");

    private static ForgeRepository GitLab(ConfigRepositoryLocation location, string[] segments, Uri api) =>
        segments.Length >= 2 && TrimGit(segments[^1]).Length > 0
            ? new ForgeRepository(ForgeKind.GitLab, api, string.Join('/', segments[..^1]), null, TrimGit(segments[^1]), location.DisplayUrl)
            : throw new GitOpsException(Errors.ForgeRepositoryPathInvalid, location.DisplayUrl, ForgeKind.GitLab, "{namespace}/{project}");

    /// <summary>
    /// https://dev.azure.com/{organization}/{project}/_git/{repository}, https://{organization}.visualstudio.com/[DefaultCollection/]{project}/_git/{repository},
    /// git@ssh.dev.azure.com:v3/{organization}/{project}/{repository}, and Azure DevOps Server's https://host/{collection}/{project}/_git/{repository}.
    /// </summary>
    private static ForgeRepository AzureDevOps(ConfigRepositoryLocation location, string host, string[] segments, Uri? explicitApi)
    {
        ForgeRepository Invalid() => throw new GitOpsException(Errors.ForgeRepositoryPathInvalid, location.DisplayUrl, ForgeKind.AzureDevOps,
            "{organization}/{project}/_git/{repository} (SSH: v3/{organization}/{project}/{repository})");

        if (segments.Length >= 4 && segments[0] == "v3")
        {
            // SSH: v3/{organization}/{project}/{repository}.
            var api = explicitApi ?? new Uri($"https://dev.azure.com/{Uri.EscapeDataString(segments[1])}/");
            return new ForgeRepository(ForgeKind.AzureDevOps, api, segments[1], segments[2], TrimGit(segments[3]), location.DisplayUrl);
        }
        var git = Array.IndexOf(segments, "_git");
        if (git < 1 || git != segments.Length - 2)
            return Invalid();
        var project = segments[git - 1];
        var repository = TrimGit(segments[git + 1]);
        var collection = segments[..(git - 1)];
        if (host == "dev.azure.com")
        {
            if (collection.Length != 1) return Invalid();
            return new ForgeRepository(ForgeKind.AzureDevOps,
                explicitApi ?? new Uri($"https://dev.azure.com/{Uri.EscapeDataString(collection[0])}/"), collection[0], project, repository, location.DisplayUrl);
        }
        if (host.EndsWith(".visualstudio.com", StringComparison.Ordinal))
        {
            var organization = host[..^".visualstudio.com".Length];
            return new ForgeRepository(ForgeKind.AzureDevOps,
                explicitApi ?? new Uri($"https://{host}/"), organization, project, repository, location.DisplayUrl);
        }
        // Azure DevOps Server: the API lives under the collection, on the web origin.
        if (!location.IsHttp || collection.Length == 0)
            return explicitApi is null
                ? throw new GitOpsException(Errors.ForgeApiUrlUnknown, ForgeKind.AzureDevOps, location.DisplayUrl, "", Example(ForgeKind.AzureDevOps))
                : new ForgeRepository(ForgeKind.AzureDevOps, explicitApi, collection.LastOrDefault() ?? "", project, repository, location.DisplayUrl);
        var web = location.HttpUrl!;
        var root = explicitApi ?? new Uri($"{web.Scheme}://{web.Authority}/{string.Join('/', collection.Select(Uri.EscapeDataString))}/");
        return new ForgeRepository(ForgeKind.AzureDevOps, root, collection[^1], project, repository, location.DisplayUrl);
    }
}
