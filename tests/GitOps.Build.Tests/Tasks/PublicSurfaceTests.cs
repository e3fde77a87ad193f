using GitOps.Build.Tasks;

namespace GitOps.Build.Tests.Tasks;

[TestClass]
public sealed class PublicSurfaceTests
{
    [TestMethod]
    public void Only_the_task_types_are_public()
    {
        var exported = typeof(GitOpsTask).Assembly.GetExportedTypes();

        var notTasks = exported.Where(type => !typeof(GitOpsTask).IsAssignableFrom(type)).Select(type => type.FullName).ToList();

        Assert.AreEqual(0, notTasks.Count, "public but not a task: " + string.Join(", ", notTasks));
        CollectionAssert.Contains(exported, typeof(UpdateConfigRepository));
    }
}
