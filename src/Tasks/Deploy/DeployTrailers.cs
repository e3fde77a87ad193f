using GitOps.Build.Manifests;

namespace GitOps.Build.Deploy;

/// <summary>
/// The trailers of a deploy commit read per image, as <see cref="CommitMessage"/> writes them: a release holds one
/// group per image, each starting at its GitOps-Image line, so a reader that keeps one value per key (git
/// interpret-trailers, <see cref="CommitMessage.ReadTrailers"/>) sees only the last image. Here each image sees the
/// trailers of its own group, over the per-image ones written before the first group (shared by every image), over
/// the commit's own (build URL, promotion, Argo CD's, GitOps-Images), wherever those stand.
/// </summary>
internal sealed class DeployTrailers
{
    // What a group can hold: the rest belongs to the commit.
    private static readonly HashSet<string> PerImage = new(StringComparer.OrdinalIgnoreCase)
    {
        CommitMessage.ImageTrailer, CommitMessage.ImageDigestTrailer, CommitMessage.ProjectTrailer,
        CommitMessage.SourceCommitTrailer, CommitMessage.SourceRepositoryTrailer,
    };

    private DeployTrailers(IReadOnlyList<IReadOnlyDictionary<string, string>> images) => Images = images;

    /// <summary>Each image's trailers, in the order the message names them; empty when it names none (written by hand).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Images { get; }

    public static DeployTrailers Read(string message)
    {
        var commit = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var shared = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var groups = new List<Dictionary<string, string>>();
        foreach (var (key, value) in CommitMessage.TrailerLines(message))
        {
            if (key.Equals(CommitMessage.ImageTrailer, StringComparison.OrdinalIgnoreCase))
                groups.Add(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
            var into = !PerImage.Contains(key) ? commit : groups.Count == 0 ? shared : groups[^1];
            into[key] = value;
        }

        return new DeployTrailers(groups.Select(group =>
        {
            var merged = new Dictionary<string, string>(commit, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in shared.Concat(group))
                merged[key] = value;
            return (IReadOnlyDictionary<string, string>)merged;
        }).ToList());
    }

    /// <summary>The trailers of the image of <paramref name="image"/>'s repository (tag and digest aside); null when the commit deploys none.</summary>
    public IReadOnlyDictionary<string, string>? For(ImageReference image) =>
        Images.FirstOrDefault(trailers => trailers.TryGetValue(CommitMessage.ImageTrailer, out var recorded)
            && ImageReference.TryParse(recorded, out var reference) && reference.HasSameRepository(image));
}
