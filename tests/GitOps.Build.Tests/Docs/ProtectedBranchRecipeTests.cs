using System.Text.RegularExpressions;

namespace GitOps.Build.Tests.Docs;

/// <summary>
/// Issue 17's "done when": the protected-branch recipe (docs/recipes.md) deploys through a pull request with the
/// build alone. It opens the pull request with GitOpsPullRequest=true and no step of it calls a forge's CLI.
/// </summary>
[TestClass]
public sealed partial class ProtectedBranchRecipeTests
{
    private static string Section()
    {
        var recipes = File.ReadAllText(Path.Combine(SdkTargetsProperties.RepositoryRoot, "docs", "recipes.md"));
        var start = recipes.IndexOf("## Protected branches", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, "docs/recipes.md has no protected-branch recipe");
        var end = recipes.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? recipes[start..] : recipes[start..end];
    }

    [TestMethod]
    public void The_protected_branch_recipe_opens_the_pull_request_from_the_build_without_a_CLI_step()
    {
        var section = Section();

        StringAssert.Contains(section, "dotnet publish -c Release -p:GitOpsPush=true -p:GitOpsPullRequest=true");
        var cli = ForgeCli().Matches(section).Select(m => m.Value).ToList();
        Assert.IsEmpty(cli, "the recipe still needs a CLI step: " + string.Join(", ", cli));
        foreach (var forge in new[] { "GitHub", "GitLab", "Azure DevOps", "Bitbucket", "Gitea" })
            StringAssert.Contains(section, forge);
    }

    // gh pr create, glab mr create, az repos pr create, tea pulls create, bb pr create, curl to a pulls endpoint.
    [GeneratedRegex(@"\b(gh pr|glab mr|az repos pr|tea pulls?|bb pr)\b|curl [^\n]*/(pulls|merge_requests|pullrequests)\b")]
    private static partial Regex ForgeCli();
}
