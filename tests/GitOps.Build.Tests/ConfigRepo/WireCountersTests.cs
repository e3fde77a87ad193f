using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class WireCountersTests
{
    [TestMethod]
    public void Sums_round_trips_bytes_and_the_waits_on_the_server()
    {
        var counters = new WireCounters();

        counters.Record(100, 2_000, TimeSpan.FromMilliseconds(12.5));
        counters.Record(0, 300, TimeSpan.FromMilliseconds(30));
        counters.Record(4_000, 50, TimeSpan.FromMilliseconds(7.5));

        Assert.AreEqual(3, counters.RoundTrips);
        Assert.AreEqual(4_100, counters.BytesSent);
        Assert.AreEqual(2_350, counters.BytesReceived);
        Assert.AreEqual(TimeSpan.FromMilliseconds(50), counters.ServerWait);
    }

    [TestMethod]
    public void A_clock_that_went_backwards_adds_no_wait()
    {
        var counters = new WireCounters();

        counters.Record(1, 1, TimeSpan.FromMilliseconds(20));
        counters.Record(1, 1, TimeSpan.FromMilliseconds(-5));

        Assert.AreEqual(TimeSpan.FromMilliseconds(20), counters.ServerWait);
    }

    [TestMethod]
    public void Exchanges_recorded_at_once_from_several_threads_all_count()
    {
        var counters = new WireCounters();

        Parallel.For(0, 10_000, _ => counters.Record(3, 5, TimeSpan.FromTicks(7)));

        Assert.AreEqual(10_000, counters.RoundTrips);
        Assert.AreEqual(30_000, counters.BytesSent);
        Assert.AreEqual(50_000, counters.BytesReceived);
        Assert.AreEqual(TimeSpan.FromTicks(70_000), counters.ServerWait);
    }

    [TestMethod]
    public void The_log_line_gives_the_wait_in_whole_milliseconds_where_the_benchmark_reads_it()
    {
        var line = Messages.TreelessTransfer(5, 1_234, 5_678, TimeSpan.FromMilliseconds(1_234.9));

        // build/bench/writeback.sh's counted_transfer reads the line with this pattern (sed there).
        var match = Regex.Match(line, @"treeless write-back: ([0-9]+) round trips, ([0-9]+) bytes sent, ([0-9]+) bytes received, ([0-9]+) ms waiting on the server");
        Assert.IsTrue(match.Success, line);
        Assert.AreEqual("5 1234 5678 1234", string.Join(' ', match.Groups.Values.Skip(1).Select(group => group.Value)));
    }
}
