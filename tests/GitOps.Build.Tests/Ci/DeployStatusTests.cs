using GitOps.Build.Ci;

namespace GitOps.Build.Tests.Ci;

/// <summary>GitOpsStatus's job summary: what the config repository's trailers and manifests hold is shown, never rendered.</summary>
[TestClass]
public sealed class DeployStatusTests
{
    private const string BuildUrl = "https://ci.example/1) [click](https://evil.example) ![x](https://evil.example/x.png) <img src=x>";

    private const string Error = "GITOPS040: no image in 'a | b' <img src=x>\n| forged | row | | | | | |";

    private static readonly DeployStatus Status = new("abc1234", [
        new EnvironmentStatus("staging", "https://git.example.com/config.git", "main", "registry.example.com/team/app:`1`", null, "abc|1234", null,
            "def5678", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), BuildUrl, null, true, 0, null),
        new EnvironmentStatus("production", "https://git.example.com/config.git", "production", null, null, null, null, null, null, null, null, null, null, Error),
    ]);

    [TestMethod]
    public void Trailer_values_and_errors_are_shown_as_written_each_in_its_own_cell()
    {
        var html = CiReaders.Render(Status.ToMarkdown());

        Assert.IsFalse(html.Contains("<img", StringComparison.Ordinal) || html.Contains("<a ", StringComparison.Ordinal), html);
        var rows = CiReaders.TableRows(html);
        Assert.AreEqual(3, rows.Count, html);
        Assert.IsTrue(rows.All(row => row.Count == 7), html);
        CollectionAssert.AreEqual(
            new[] { "staging (main)", "registry.example.com/team/app:`1`", "abc|1234", "def5678", "2026-01-02 03:04:05 UTC", BuildUrl, "HEAD is deployed" },
            rows[1].ToList(), html);
        Assert.AreEqual(Error.Replace('\n', ' '), rows[2][1], html);
    }

    [TestMethod]
    public void The_agents_verdict_is_a_column_of_its_own_only_where_a_source_is_configured()
    {
        var verdict = new EnvironmentVerdict("failure", [new EnvironmentVerdictTarget("Argo CD app", "shop|prod", "Degraded", "failure", "<img src=x>")]);
        var status = Status with { Environments = [Status.Environments[0] with { Verdict = verdict }, Status.Environments[1]] };

        var html = CiReaders.Render(status.ToMarkdown());

        var rows = CiReaders.TableRows(html);
        Assert.IsTrue(rows.All(row => row.Count == 8), html);
        Assert.AreEqual("Agent", rows[0][7], html);
        Assert.AreEqual("failure: Argo CD app shop|prod Degraded", rows[1][7], html);
        Assert.AreEqual("", rows[2][7], html);
        Assert.IsTrue(CiReaders.TableRows(CiReaders.Render(Status.ToMarkdown())).All(row => row.Count == 7), "no column without a verdict");
    }
}
