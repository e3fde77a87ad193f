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

    /// <summary>The commit whose statuses the scripted agent posts; any other commit is unknown to the forge.</summary>
    public string StatusCommit { get; set; } = "0123456789abcdef0123456789abcdef01234567";

    private readonly List<SimulatedStatus[]> statusScript = [];

    /// <summary>How many times the statuses of <see cref="StatusCommit"/> were read.</summary>
    public int StatusReads { get; private set; }

    /// <summary>The scripted agent: the n-th read of the commit's statuses gets the n-th state given (the last one stays).</summary>
    public void Statuses(params SimulatedStatus[] state)
    {
        lock (gate) statusScript.Add(state);
    }

    /// <summary>The statuses the next read gets, or null for a commit the forge does not know.</summary>
    public SimulatedStatus[]? ReadStatuses(string commit)
    {
        lock (gate)
        {
            if (!string.Equals(commit, StatusCommit, StringComparison.OrdinalIgnoreCase))
                return null;
            var state = statusScript.Count == 0 ? [] : statusScript[Math.Min(StatusReads, statusScript.Count - 1)];
            StatusReads++;
            return state;
        }
    }
}

/// <summary>A status the scripted agent posts, in neutral words each contract turns into its forge's: State is pending, success or failure.</summary>
public sealed record SimulatedStatus(string Context, string State, string? Description = null, string? Url = null);

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

    /// <summary>Merged: the commit the merge made on the base branch.</summary>
    public string? MergeCommit { get; set; }

    public bool Merged => MergeCommit is not null;

    private readonly List<string> readScript = [];
    private int reads;

    /// <summary>
    /// What a person or the forge's auto-merge does between reads: the n-th read of the pull request first applies the
    /// n-th step ("open", "merged:&lt;commit&gt;", "closed"; the last one stays).
    /// </summary>
    public void Script(params string[] steps) => readScript.AddRange(steps);

    /// <summary>Called by a contract on each read of this one pull request.</summary>
    public void Read()
    {
        if (readScript.Count == 0)
            return;
        var step = readScript[Math.Min(reads++, readScript.Count - 1)];
        IsOpen = step == "open";
        MergeCommit = step.StartsWith("merged:", StringComparison.Ordinal) ? step["merged:".Length..] : null;
    }
}
