using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>
/// A container image reference, [registry/]repository[:tag][@digest], following the grammar of the
/// distribution (docker) reference: the first path component is a registry when it holds '.' or ':',
/// is 'localhost', or has upper case letters.
/// </summary>
internal sealed record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    private const string DockerHub = "docker.io";

    private static readonly Regex HostPattern = new(
        @"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::[0-9]+)?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex PathComponentPattern = new(
        @"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    private static readonly Regex TagPattern = new(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);

    private static readonly Regex DigestPattern = new(
        @"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-f]{32,}$", RegexOptions.CultureInvariant);

    /// <summary>Registry host lower-cased, docker.io and its library/ prefix applied, port kept: what two spellings of one repository share.</summary>
    public string NormalizedRepository
    {
        get
        {
            var registry = Registry?.ToLowerInvariant() ?? DockerHub;
            if (registry is "index.docker.io" or "registry-1.docker.io")
            {
                registry = DockerHub;
            }

            var repository = registry == DockerHub && !Repository.Contains('/') ? "library/" + Repository : Repository;
            return registry + "/" + repository;
        }
    }

    /// <summary>Whether both name the same repository; whole names only, so team/myapp never matches team/myapp-worker.</summary>
    public bool HasSameRepository(ImageReference other) =>
        string.Equals(NormalizedRepository, other.NormalizedRepository, StringComparison.Ordinal);

    public ImageReference WithTag(string? tag) => this with { Tag = tag };

    public ImageReference WithDigest(string? digest) => this with { Digest = digest };

    /// <summary>[registry/]repository, without tag or digest, registry as given.</summary>
    public string Name => Registry is null ? Repository : Registry + "/" + Repository;

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public static ImageReference Parse(string text)
    {
        var reference = ParseCore(text, out var reason);
        return reference ?? throw new GitOpsException(Errors.ImageReferenceInvalid, text, reason);
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = ParseCore(text, out _);
        return reference is not null;
    }

    private static ImageReference? ParseCore(string? text, out string reason)
    {
        if (string.IsNullOrEmpty(text))
        {
            reason = "it is empty";
            return null;
        }

        if (text.Trim() != text)
        {
            reason = "it has leading or trailing white space";
            return null;
        }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern.IsMatch(digest) || !HasKnownDigestLength(digest))
            {
                reason = $"the digest '{digest}' is not algorithm:hex, e.g. sha256: and 64 lower-case hex digits";
                return null;
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern.IsMatch(tag))
            {
                reason = $"the tag '{tag}' is not 1 to 128 letters, digits, '_', '.' or '-' starting with a letter, digit or '_'";
                return null;
            }
        }

        string? registry = null;
        var slash = rest.IndexOf('/');
        if (slash > 0 && LooksLikeRegistry(rest[..slash]))
        {
            registry = rest[..slash];
            rest = rest[(slash + 1)..];
            if (!HostPattern.IsMatch(registry))
            {
                reason = $"the registry '{registry}' is not a host name with an optional port";
                return null;
            }
        }

        if (rest.Length == 0 || rest.Length > 255)
        {
            reason = "the repository name must be 1 to 255 characters";
            return null;
        }

        foreach (var component in rest.Split('/'))
        {
            if (!PathComponentPattern.IsMatch(component))
            {
                reason = component.Any(char.IsUpper)
                    ? $"the repository '{rest}' must be lower case"
                    : $"the repository path component '{component}' must be lower-case letters and digits separated by '.', '_', '__' or '-'";
                return null;
            }
        }

        reason = "";
        return new ImageReference(registry, rest, tag, digest);
    }

    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost" || component.Any(char.IsUpper);

    private static bool HasKnownDigestLength(string digest)
    {
        var hex = digest[(digest.IndexOf(':') + 1)..];
        return digest.StartsWith("sha256:", StringComparison.Ordinal) ? hex.Length == 64
            : digest.StartsWith("sha512:", StringComparison.Ordinal) ? hex.Length == 128
            : true;
    }
}
