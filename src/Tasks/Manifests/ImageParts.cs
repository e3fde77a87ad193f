using GitOps.Build.Diagnostics;

namespace GitOps.Build.Manifests;

/// <summary>An image split across a mapping's keys (Kustomize entries, Helm values): writes the tag and digest the format asks for.</summary>
internal static class ImageParts
{
    // canAdd: whether missing keys may be added to the mapping; addDigest: whether a missing digest key may be
    // added (Kustomize reads it; a Helm chart may ignore a new key, so the deployment would not change).
    public static void SetTagAndDigest(EditPlan plan, YamlMapping mapping, string tagKey, string digestKey, NewImageValues newImage, bool canAdd, bool addDigest)
    {
        if (newImage.Tag is not null && (canAdd || mapping.Get(tagKey) is not null))
        {
            plan.SetOrAdd(mapping, tagKey, newImage.Tag);
        }
        else if (newImage.Tag is null && newImage.Image.Tag is { } tag && mapping.Get(tagKey) is not null)
        {
            // Digest format: an existing tag beside the new digest would name the old build (web:old@sha256:new).
            plan.SetOrAdd(mapping, tagKey, tag);
        }

        if (newImage.Digest is not null)
        {
            if (!(canAdd && addDigest) && mapping.Get(digestKey) is null)
            {
                throw new GitOpsException(Errors.DigestKeyMissing, plan.Path, plan.LineOf(mapping), digestKey);
            }

            plan.SetOrAdd(mapping, digestKey, newImage.Digest);
        }
        else if (mapping.Get(digestKey) is { } digest && digest.Resolve() is YamlScalar { Value.Length: > 0 } scalar)
        {
            // Updating only the tag next to a digest would deploy the old image.
            throw new GitOpsException(Errors.StaleDigest, plan.Path, plan.LineOf(digest), digestKey, scalar.Value);
        }
    }
}
