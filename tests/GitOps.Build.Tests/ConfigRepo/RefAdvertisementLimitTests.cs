using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class RefAdvertisementLimitTests
{
    private static readonly byte[] RefLine = Pkt(new string('0', 40) + " refs/heads/main\n");

    [TestMethod]
    public void A_list_ends_at_its_flushes_and_what_follows_is_not_counted()
    {
        var limit = new RefAdvertisementLimit("http://host/config.git", flushes: 2);

        limit.Observe(Pkt("# service=git-upload-pack\n"));
        limit.Observe("0000"u8);
        Assert.IsFalse(limit.Ended);
        limit.Observe(RefLine);
        // Split across reads, as a transport reads it.
        limit.Observe("00"u8);
        limit.Observe("00"u8);

        Assert.IsTrue(limit.Ended);
        // After the list: a pack of any size is not the advertisement's.
        limit.Observe(new byte[RefAdvertisementLimit.MaxBytes + 1]);
    }

    [TestMethod]
    public void More_refs_than_the_bound_is_GITOPS115()
    {
        var limit = new RefAdvertisementLimit("ssh://host/config.git", flushes: 1);
        var chunk = Enumerable.Repeat(RefLine, 1000).SelectMany(line => line).ToArray();

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
        {
            for (var refs = 0; refs <= RefAdvertisementLimit.MaxRefs; refs += 1000)
                limit.Observe(chunk);
        });

        Assert.AreEqual(Errors.ConfigRefAdvertisementTooLarge.Code, error.Code);
        StringAssert.Contains(error.Message, "500,000 refs");
    }

    [TestMethod]
    public void More_bytes_than_the_bound_is_GITOPS115_even_in_few_lines()
    {
        var limit = new RefAdvertisementLimit("ssh://host/config.git", flushes: 1);
        var longest = Pkt(new string('0', 40) + " refs/heads/" + new string('x', 65_000) + "\n");

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
        {
            for (long bytes = 0; bytes <= RefAdvertisementLimit.MaxBytes; bytes += longest.Length)
                limit.Observe(longest);
        });

        StringAssert.Contains(error.Message, "64 MB");
    }

    internal static byte[] Pkt(string payload) =>
        Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + payload);
}
