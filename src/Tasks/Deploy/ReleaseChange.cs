using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Deploy;

/// <summary>
/// "Set every image of a release" as one change: each image's <see cref="ManifestImageChange"/> is applied in turn to
/// the same tip, each seeing the edits of those before it (two services in one kustomization.yaml), and the files that
/// differ from the tip are committed together. The writer re-applies the whole release after a lost push race.
/// </summary>
internal sealed class ReleaseChange(IReadOnlyList<ManifestImageChange> images) : IConfigChange
{
    AppliedChange IConfigChange.Apply(IConfigTree tree) => Apply(tree);

    /// <summary>Every image's manifests: fetched together, a release costs the round trips of one manifest.</summary>
    public IReadOnlyList<TreeRead> Reads => [.. images.SelectMany(image => image.Reads)];

    public ReleaseVerdict Apply(IConfigTree tree)
    {
        var overlay = new EditedTree(tree);
        var verdicts = new List<DeployVerdict>(images.Count);
        foreach (var image in images)
        {
            var verdict = image.Apply(overlay);
            verdicts.Add(verdict);
            foreach (var file in verdict.Files)
                overlay.Write(file.Path, file.OldContent, file.NewContent);
        }

        // One image that must not be replaced (a later build is deployed) holds the whole release back: deploying the
        // others alone would be the half-released state a release exists to avoid.
        if (verdicts.Any(v => v is DeployVerdict.NewerDeployed))
            return new ReleaseVerdict([], verdicts);
        return new ReleaseVerdict(overlay.Changes(), verdicts);
    }

    /// <summary>The tip as the images before this one left it: edited files read back edited, everything else from the tip.</summary>
    private sealed class EditedTree(IConfigTree tip) : IConfigTree
    {
        private readonly Dictionary<string, (byte[] Original, byte[] Current)> edited = new(StringComparer.Ordinal);

        public void Write(string path, byte[] oldContent, byte[] newContent) =>
            edited[path] = (edited.TryGetValue(path, out var earlier) ? earlier.Original : oldContent, newContent);

        public IReadOnlyList<ConfigFileChange> Changes() => edited
            .Where(file => !file.Value.Original.AsSpan().SequenceEqual(file.Value.Current))
            .OrderBy(file => file.Key, StringComparer.Ordinal)
            .Select(file => new ConfigFileChange(file.Key, file.Value.Original, file.Value.Current))
            .ToList();

        public ConfigTreeFile? FindFile(string path)
        {
            var file = tip.FindFile(path);
            return file is not null && edited.TryGetValue(file.Path, out var content) ? file with { Size = content.Current.Length } : file;
        }

        public bool TryReadFile(string path, out byte[] content)
        {
            if (edited.TryGetValue(path, out var file))
            {
                content = file.Current;
                return true;
            }
            return tip.TryReadFile(path, out content);
        }

        public IEnumerable<ConfigTreeFile> ListFiles(string directory) =>
            tip.ListFiles(directory).Select(file => edited.TryGetValue(file.Path, out var content) ? file with { Size = content.Current.Length } : file);

        public IEnumerable<ConfigTreeFile> ListFiles(string directory, Func<string, bool> include) =>
            tip.ListFiles(directory, include).Select(file => edited.TryGetValue(file.Path, out var content) ? file with { Size = content.Current.Length } : file);

        public string? TipMessage => tip.TipMessage;

        public string? TipSha => tip.TipSha;
    }
}

/// <summary>What a release came to on one tip: the files to commit (none when nothing changed or an image was refused), and each image's verdict, in order.</summary>
internal sealed record ReleaseVerdict(IReadOnlyList<ConfigFileChange> Files, IReadOnlyList<DeployVerdict> Images) : AppliedChange(Files);
