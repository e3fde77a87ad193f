namespace GitOps.Build.Manifests;

/// <summary>A scalar that holds a whole image reference: reports it, and replaces it when it names the new image's repository.</summary>
internal static class ContainerImage
{
    public static void Collect(YamlNode written, EditPlan plan, NewImageValues newImage)
    {
        if (written.Resolve() is not YamlScalar scalar || scalar.Content.Length == 0)
        {
            return;
        }

        plan.Found(scalar.Content);
        if (newImage.Names(scalar.Content))
        {
            plan.Set(written, newImage.FullReference);
        }
    }
}
