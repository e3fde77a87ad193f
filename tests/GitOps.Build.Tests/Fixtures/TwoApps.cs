namespace GitOps.Build.Tests.Fixtures;

/// <summary>
/// A config repository with two services, web (the one deployed) and api (what another pipeline deploys meanwhile).
/// </summary>
internal static class TwoApps
{
    public const string WebManifest = "apps/web/deployment.yaml";
    public const string ApiManifest = "apps/api/deployment.yaml";

    public static ConfigRemote Create() => ConfigRemote.Create("main", new Dictionary<string, string>
    {
        [WebManifest] = "image: registry.example.com/web:aaa1111\n",
        [ApiManifest] = "image: registry.example.com/api:ccc3333\n",
    });

    /// <summary>Our change: web aaa1111 → bbb2222; <paramref name="beforeApply"/> gets the application's number (1, 2, …).</summary>
    public static FunctionChange DeployWeb(Action<int>? beforeApply = null) =>
        FunctionChange.Replace(WebManifest, "aaa1111", "bbb2222", beforeApply);

    /// <summary>Another pipeline deploys api:<paramref name="tag"/> on main; returns its commit.</summary>
    public static string DeployApi(ConfigRemote remote, string tag) =>
        remote.Change("main", $"deploy(api): {tag}", new Dictionary<string, string> { [ApiManifest] = $"image: registry.example.com/api:{tag}\n" });
}
