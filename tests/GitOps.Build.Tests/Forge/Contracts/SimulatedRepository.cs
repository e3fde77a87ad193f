namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>
/// The state a forge simulation keeps for one repository: its branches and pull requests, and the repository settings
/// a test turns (auto-merge allowed). The forge contracts translate their API's calls into these.
/// </summary>
public sealed class SimulatedRepository
{
    private readonly object gate = new();
    private long next = 1;

    public HashSet<string> Branches { get; } = ["main"];

    public List<SimulatedPull> Pulls { get; } = [];

    /// <summary>False: the repository does not allow merging once checks pass (the forge refuses auto-merge).</summary>
    public bool AutoMergeAllowed { get; set; } = true;

    /// <summary>Labels the repository has (Gitea sets only labels that exist), by name → id.</summary>
    public Dictionary<string, long> Labels { get; } = new(StringComparer.OrdinalIgnoreCase) { ["deploy"] = 11, ["gitops"] = 12 };

    public SimulatedPull Open(string head, string baseBranch, string title, string body)
    {
        lock (gate)
        {
            var pull = new SimulatedPull(next++, head, baseBranch) { Title = title, Body = body };
            Pulls.Add(pull);
            return pull;
        }
    }

    public SimulatedPull? Find(long number)
    {
        lock (gate) return Pulls.FirstOrDefault(p => p.Number == number);
    }

    public IReadOnlyList<SimulatedPull> OpenPulls()
    {
        lock (gate) return [.. Pulls.Where(p => p.IsOpen)];
    }
}

public sealed class SimulatedPull(long number, string head, string baseBranch)
{
    public long Number { get; } = number;

    public string Head { get; } = head;

    public string Base { get; } = baseBranch;

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    public bool IsOpen { get; set; } = true;

    public bool Draft { get; set; }

    public bool AutoMerge { get; set; }

    public string? MergeMethod { get; set; }

    public List<string> Labels { get; } = [];

    public List<string> Reviewers { get; } = [];

    public List<string> Comments { get; } = [];
}
