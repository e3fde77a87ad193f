using GitOps.Build.Verdict;

namespace GitOps.Build.Tests.Verdict;

[TestClass]
public sealed class ContextPatternTests
{
    [TestMethod]
    [DataRow("kustomization/apps*", "kustomization/apps", true)]
    [DataRow("kustomization/apps*", "Kustomization/Apps-Prod", true)]
    [DataRow("kustomization/apps*", "kustomization/apps/nested/too", true)]
    [DataRow("continuous-delivery/*", "continuous-delivery/shop-prod", true)]
    [DataRow("*/shop", "kustomization/flux-system/shop", true)]
    [DataRow("kustomization/apps*", "kustomization/infra", false)]
    [DataRow("kustomization/apps", "kustomization/apps-prod", false)]
    [DataRow("ci/build.1", "ci/buildx1", false)]
    public void Star_matches_anything_including_slash_and_case_is_ignored(string pattern, string context, bool matches) =>
        Assert.AreEqual(matches, ContextPattern.ParseList(pattern).Single().Matches(context));

    [TestMethod]
    public void The_list_is_semicolon_separated_and_blanks_are_dropped() =>
        CollectionAssert.AreEqual(new[] { "kustomization/apps*", "continuous-delivery/*" },
            ContextPattern.ParseList(" kustomization/apps* ;; continuous-delivery/* ;").Select(p => p.Text).ToArray());
}
