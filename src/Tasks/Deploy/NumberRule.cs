using System.Globalization;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>Whole-number properties, bounded: a negative retry count or a zero timeout reached libgit2 and crashed.</summary>
internal static class NumberRule
{
    public const int MaxPushRetries = 100;
    public const int MaxConfigTimeoutSeconds = 3600;

    /// <summary>GitOpsPushRetries: 0 to 100; blank means the default (<see cref="ConfigWriterOptions.DefaultPushRetries"/>).</summary>
    public static int PushRetries(string? value) => Bounded(value, "GitOpsPushRetries", 0, MaxPushRetries, ConfigWriterOptions.DefaultPushRetries);

    /// <summary>GitOpsConfigTimeout: 1 to 3600 seconds; blank means the default, 300.</summary>
    public static int ConfigTimeoutSeconds(string? value) => Bounded(value, "GitOpsConfigTimeout", 1, MaxConfigTimeoutSeconds, 300);

    /// <exception cref="GitOpsException">GITOPS037 naming <paramref name="property"/>.</exception>
    public static int Bounded(string? value, string property, int min, int max, int defaultValue)
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultValue;
        return int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new GitOpsException(Errors.NumberOutOfRange, property, TextRule.Printable(value), min, max);
    }
}
