namespace GitOps.Build.Tasks;

public sealed partial class UpdateConfigRepository
{
    /// <summary>The image reference to write, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    public string? ProjectPath { get; set; }
}
