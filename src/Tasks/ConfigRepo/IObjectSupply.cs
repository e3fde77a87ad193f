namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Brings into a treeless clone the objects reads of its tree need, before <see cref="ConfigTree"/> reads them: the
/// trees on each path and its file, or a directory's subtree and the files of it that are read.
/// </summary>
internal interface IObjectSupply
{
    /// <summary>
    /// What <paramref name="reads"/> need, for all of them together (a single read is a batch of one); what is there
    /// already is not fetched again, and what does not exist is not an error (the read then finds nothing).
    /// </summary>
    void Ensure(IReadOnlyList<TreeRead> reads, Deadline? deadline);
}

/// <summary>
/// The server did not serve a treeless fetch after all (refused a want by id, or answered what cannot be read): the
/// writer logs <see cref="Exception.Message"/> once and clones instead. <paramref name="cause"/>: the wire's own
/// failure, where there was one (an <see cref="Wire.AnswerPastBoundException"/> is not asked for again).
/// </summary>
internal sealed class TreelessUnavailableException(string reason, Exception? cause = null) : Exception(reason, cause);
