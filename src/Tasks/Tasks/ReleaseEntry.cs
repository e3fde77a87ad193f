namespace GitOps.Build.Tasks;

/// <summary>
/// One project's part of a release, as <see cref="WriteReleaseEntry"/> leaves it in the release directory for
/// <see cref="DeployRelease"/>: the project's config inputs as given, and its image. The solution may build in another
/// node than the project, so the entry is a file and the release parses its inputs there.
/// </summary>
internal sealed record ReleaseEntry(ConfigInputText Inputs, ImageText Image);
