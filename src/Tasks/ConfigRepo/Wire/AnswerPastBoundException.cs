namespace GitOps.Build.ConfigRepo.Wire;

/// <summary>
/// An answer ran past the bound it was read within: asking again would read as much again, so nothing asks again
/// (the treeless store's capabilities check does not retry it).
/// </summary>
internal sealed class AnswerPastBoundException(long maxAnswerBytes)
    : WireFormatException($"an answer longer than {maxAnswerBytes / (1024 * 1024)} MB");
