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
    public void The_default_stays_within_the_documented_bounds()
    {
        for (var retry = 1; retry <= 12; retry++)
        {
            var delay = Backoff.Default.DelayBefore(retry).TotalMilliseconds;
            var nominal = Math.Min(100 * Math.Pow(2, retry - 1), 3000);
            Assert.IsTrue(delay >= nominal * 0.5 && delay <= nominal * 1.5, $"retry {retry}: {delay} ms");
        }
    }
}
