using GitOps.Build.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.ConfigRepo;

/// <summary>
/// What the write-back tests against the real git server share (<see cref="ConfigRepositoryWriterHttpTests"/>,
/// <c>Ssh.ConfigRepositoryWriterSshTests</c>): a served repository per test, seeded with one manifest, the log, and the
/// repository's side of each check. A derived class per transport says which server it needs.
/// </summary>
public abstract class ServedWriterTests
{
    private protected const string WebManifest = ServedRepository.Manifest;
    private protected const string NewManifest = ServedRepository.NewManifest;

    private protected readonly RecordingLog log = new();
    private protected TestEnvironment environment = null!;
    private protected ServedRepository repository = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The environment with this transport's server, or the end of the test (inconclusive; fails when CI=true).</summary>
    private protected abstract TestEnvironment RequireEnvironment();

    /// <summary>The folder on the server that groups this class's repositories.</summary>
    private protected abstract string Folder { get; }

    /// <summary>Where the writer's temporary clones go.</summary>
    private protected string WorkDirectory => repository.WorkDirectory;

    [TestInitialize]
    public void CreateRepository()
    {
        environment = RequireEnvironment();
        repository = ServedRepository.Create(environment, Folder);
    }

    [TestCleanup]
    public void DeleteRepository() => repository?.Dispose();

    private protected static FunctionChange ReplaceManifest(Action? duringApply = null) => ServedRepository.ReplaceManifest(_ => duringApply?.Invoke());

    private protected static FunctionChange ReplaceManifest(Action<int> duringApply) => ServedRepository.ReplaceManifest(duringApply);

    private protected void PushCompetingCommit() => repository.PushCompetingCommit();

    private protected string Git(params string[] arguments) => repository.Git(arguments);

    private protected string Tip() => repository.Tip();

    private protected void AssertNoClonesLeft() => repository.AssertNoClonesLeft();
}
