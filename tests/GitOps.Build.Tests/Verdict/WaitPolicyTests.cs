using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Verdict;

/// <summary>Issue 18's bound on polling: from 2 s, backing off to 15 s and no further, the timeout as given.</summary>
[TestClass]
public sealed class WaitPolicyTests
{
    [TestMethod]
    public void Polls_back_off_from_2_s_to_15_s_and_stay_there()
    {
        var policy = WaitPolicy.For(TimeSpan.FromSeconds(600));
        var delays = new List<TimeSpan> { policy.FirstDelay };
        for (var i = 0; i < 12; i++)
            delays.Add(policy.NextDelay(delays[^1]));

        Assert.AreEqual(TimeSpan.FromSeconds(600), policy.Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(2), delays[0]);
        for (var i = 1; i < delays.Count; i++)
            Assert.IsTrue(delays[i] >= delays[i - 1] && delays[i] <= TimeSpan.FromSeconds(15), string.Join(", ", delays));
        Assert.IsTrue(delays[1] > delays[0], "it backs off");
        Assert.AreEqual(TimeSpan.FromSeconds(15), delays[^1], string.Join(", ", delays));
    }
}
