using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class BackoffTests
{
    [TestMethod]
    [DataRow(1, 0.5, 100)]
    [DataRow(2, 0.5, 200)]
    [DataRow(3, 0.5, 400)]
    [DataRow(1, 0.0, 50)]
    [DataRow(1, 0.99, 149)]
    [DataRow(5, 0.5, 1600)]
    [DataRow(6, 0.5, 3000)]
    [DataRow(40, 0.5, 3000)]
    [DataRow(40, 0.0, 1500)]
    [DataRow(40, 0.99, 4470)]
    public void Doubles_from_100_ms_up_to_3_s_with_half_jitter_also_at_the_cap(int retry, double random, int expectedMilliseconds)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3), () => random);

        Assert.AreEqual(expectedMilliseconds, (int)backoff.DelayBefore(retry).TotalMilliseconds);
    }

    [TestMethod]
    // README (GitOpsPushRetries): "jittered back-off (0.1 s doubling to 3 s)", jitter ±50 %.
    [DataRow(1, 100)]
    [DataRow(2, 200)]
    [DataRow(3, 400)]
    [DataRow(4, 800)]
    [DataRow(5, 1600)]
    [DataRow(6, 3000)]
    [DataRow(12, 3000)]
    [DataRow(30, 3000)]
    public void The_default_stays_within_the_documented_bounds(int retry, int nominalMilliseconds)
    {
        for (var draw = 0; draw < 50; draw++)
        {
            var delay = Backoff.Default.DelayBefore(retry).TotalMilliseconds;
            Assert.IsTrue(delay >= nominalMilliseconds * 0.5 && delay <= nominalMilliseconds * 1.5, $"retry {retry}: {delay} ms");
        }
    }
}
