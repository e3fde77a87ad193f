namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A condition the writer checks in each round after the commit is made and just before it is pushed: what the change
/// was computed from may live outside the branch written to (a promotion's source environment on another branch), and
/// only the remote knows whether that moved meanwhile.
/// </summary>
internal interface IPushCheck
{
    /// <param name="remoteTip">
    /// A branch's tip on the remote now, or null when it is not there: a listing of the remote's refs through the same
    /// transport as the push and its verification.
    /// </param>
    /// <exception cref="Diagnostics.GitOpsException">To refuse the push: nothing is pushed.</exception>
    void Check(Func<string, string?> remoteTip);
}
