using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>Turns GitOpsManifest item metadata (strings, as MSBuild has them) into edit options.</summary>
internal static class ManifestOptionsReader
{
    /// <summary>Every metadata name <see cref="Read"/> reads: what a GitOpsManifest item carries into a release entry.</summary>
    public static readonly IReadOnlyList<string> MetadataNames =
        ["Container", "Format", "AddIfMissing", "ImagePolicy", "ValuePath", "RepositoryKey", "TagKey", "RegistryKey", "DigestKey"];

    /// <param name="path">The item, for messages.</param>
    /// <param name="metadata">Returns a metadata value, empty or null when unset.</param>
    /// <param name="referenceFormat">GitOpsImageReferenceFormat, shared by all manifests.</param>
    public static ManifestTarget Read(string path, Func<string, string?> metadata, ImageReferenceFormat referenceFormat)
    {
        string? Value(string name) => string.IsNullOrWhiteSpace(metadata(name)) ? null : metadata(name)!.Trim();

        var defaults = new HelmImageKeys();
        return new ManifestTarget(path, new ManifestEditOptions
        {
            ContainerName = Value("Container"),
            ReferenceFormat = referenceFormat,
            Format = Value("Format") is { } format ? ParseEnum<ManifestFormat>(format, $"The Format metadata of GitOpsManifest '{path}'") : null,
            AddIfMissing = Value("AddIfMissing") is { } add && ParseBoolean(add, $"The AddIfMissing metadata of GitOpsManifest '{path}'"),
            ImagePolicy = Value("ImagePolicy"),
            ValuePath = Value("ValuePath"),
            HelmKeys = new HelmImageKeys
            {
                Repository = Value("RepositoryKey") ?? defaults.Repository,
                Tag = Value("TagKey") ?? defaults.Tag,
                Registry = Value("RegistryKey") ?? defaults.Registry,
                Digest = Value("DigestKey") ?? defaults.Digest,
            },
        });
    }

    public static TEnum ParseEnum<TEnum>(string value, string what) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new GitOpsException(Errors.InvalidChoice, what, value, string.Join(", ", Enum.GetNames<TEnum>()));

    /// <summary>true or false, any case (what MSBuild conditions compare with); anything else is GITOPS008 naming <paramref name="what"/>.</summary>
    public static bool ParseBoolean(string value, string what) =>
        bool.TryParse(value, out var parsed) ? parsed : throw new GitOpsException(Errors.InvalidBoolean, what, value);
}
