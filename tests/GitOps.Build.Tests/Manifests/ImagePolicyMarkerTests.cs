using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class ImagePolicyMarkerTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [TestMethod]
    public void A_whole_reference_marker_matches_by_repository()
    {
        const string input = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    image: ghcr.io/org/app:v1 # {"$imagepolicy": "flux-system:app"}
                  - name: unmarked
                    image: ghcr.io/org/app:v1
            """;

        // Only the marked field changes: a file with markers is edited through its markers.
        Edits(input, "ghcr.io/org/app:v2", input.Replace("app:v1 # {", "app:v2 # {"));
    }

    [TestMethod]
    public void Tag_and_name_markers_follow_their_policy()
    {
        const string input = """
            values:
              image:
                repository: ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}
                tag: 1.0.0 # {"$imagepolicy": "apps:app:tag"}
                digest: '' # {"$imagepolicy": "apps:app:digest"}
              other:
                tag: 1.0.0 # {"$imagepolicy": "apps:other:tag"}
            """;

        Edits(input, $"ghcr.io/org/app:2.0.0@{Sha}", input.Replace("tag: 1.0.0 # {\"$imagepolicy\": \"apps:app:tag\"}", "tag: 2.0.0 # {\"$imagepolicy\": \"apps:app:tag\"}").Replace("digest: ''", $"digest: '{Sha}'"));
    }

    [TestMethod]
    public void The_ImagePolicy_option_selects_tag_markers_alone()
    {
        const string input = "a: 1.0.0 # {\"$imagepolicy\": \"apps:app:tag\"}\nb: 1.0.0 # {\"$imagepolicy\": \"apps:other:tag\"}\n";

        Edits(input, "ghcr.io/org/app:1234", input.Replace("a: 1.0.0", "a: \"1234\""), new ManifestEditOptions { ImagePolicy = "apps:app" });
        Fails(input, "ghcr.io/org/app:1234", Errors.NoImageReference);
    }

    [TestMethod]
    public void A_marker_inside_a_quoted_scalar_is_not_a_marker()
    {
        const string input = "a: 'x # {\"$imagepolicy\": \"apps:app\"}'\nb: ghcr.io/org/app:v1\n";

        Fails(input, "ghcr.io/org/app:v2", Errors.NoImageReference, new ManifestEditOptions { Format = ManifestFormat.Marker });
    }
}
