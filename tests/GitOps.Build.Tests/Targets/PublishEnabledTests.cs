namespace GitOps.Build.Tests.Targets;

/// <summary>
/// Which projects GitOps.Build publishes: only executables with GitOpsPush=true, never a project marked not
/// publishable, and in a multi-RID publish only the outer build (the inner ones, _IsMultiRIDBuild=false, are left alone).
/// </summary>
[TestClass]
public sealed class PublishEnabledTests
{
    [TestMethod]
    [DataRow("true", "Exe", null, null, "true")]
    [DataRow("true", "WinExe", null, null, "true")]
    [DataRow("true", "Library", null, null, "false")]
    [DataRow("false", "Exe", null, null, "false")]
    [DataRow(null, "Exe", null, null, "false")]
    [DataRow("true", "Exe", "false", null, "false")]
    [DataRow("true", "Exe", "true", null, "true")]
    [DataRow("true", "Exe", null, "false", "false")]
    [DataRow("true", "Exe", null, "true", "true")]
    public void Only_a_publishable_executable_with_GitOpsPush_and_not_an_inner_multi_RID_build_is_published(
        string? push, string outputType, string? isPublishable, string? isMultiRidBuild, string expected)
    {
        var properties = new Dictionary<string, string> { ["OutputType"] = outputType };
        if (push is not null) properties["GitOpsPush"] = push;
        if (isPublishable is not null) properties["IsPublishable"] = isPublishable;
        if (isMultiRidBuild is not null) properties["_IsMultiRIDBuild"] = isMultiRidBuild;
        using var project = TargetsProject.Create(properties);

        Assert.AreEqual(expected, project.Evaluate().GetPropertyValue("_GitOpsPublishEnabled"));
    }
}
