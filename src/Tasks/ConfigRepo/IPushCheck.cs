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

    /// <summary>
    /// After the push landed (the server applied it and a listing showed it): checks the condition again, so that with
    /// <see cref="Check"/> it brackets the push. A receive-pack update cannot also hold another branch still, so what
    /// changed in between can only be reported, exactly: the commit that was pushed and what changed.
    /// </summary>
    /// <param name="pushedSha">The commit now on the remote.</param>
    /// <param name="remoteTip">As for <see cref="Check"/>: a listing made after the push landed.</param>
    /// <exception cref="Diagnostics.GitOpsException">To report that the pushed commit rests on what no longer holds.</exception>
    void Confirm(string pushedSha, Func<string, string?> remoteTip);
}
