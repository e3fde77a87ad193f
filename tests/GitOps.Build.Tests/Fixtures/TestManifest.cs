namespace GitOps.Build.Tests.Fixtures;

/// <summary>Kubernetes manifests for config repositories made by tests.</summary>
internal static class TestManifest
{
    /// <summary>A Deployment whose one container (named like the app) runs <paramref name="image"/>.</summary>
    public static string Deployment(string image, string name = "app") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          template:
            spec:
              containers:
                - name: {name}
                  image: {image}

        """;
}
