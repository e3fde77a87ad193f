using System.Net;
using System.Text.RegularExpressions;
using GitOps.Build.ConfigRepo;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace GitOps.Build.Tests.Infrastructure;

/// <summary>
/// The offline test environment started by build/env/start.sh (registry, base image, git smart
/// HTTP server, podman config), read from &lt;GITOPS_ENV_DIR or /var/tmp/gitops-build-env&gt;/env.
/// </summary>
internal sealed partial class TestEnvironment
{
    public const string DefaultDirectory = "/var/tmp/gitops-build-env";
    public const string StartCommand = "build/env/start.sh";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    private readonly IReadOnlyDictionary<string, string> values;

    private TestEnvironment(IReadOnlyDictionary<string, string> values) => this.values = values;

    /// <summary>Every KEY=VALUE of the env file.</summary>
    public IReadOnlyDictionary<string, string> Values => values;

    public string EnvironmentDirectory => Get("GITOPS_ENV_DIR");
    public string ScriptsDirectory => Get("GITOPS_ENV_SCRIPTS");
    /// <summary>host:port of the OCI registry (plain HTTP).</summary>
    public string Registry => Get("REGISTRY");
    /// <summary>ASP.NET Core base image in <see cref="Registry"/>.</summary>
    public string BaseImage => Get("BASE_IMAGE");
    /// <summary>Base image for console apps (the same content as <see cref="BaseImage"/>).</summary>
    public string RuntimeBaseImage => Get("RUNTIME_BASE_IMAGE");
    /// <summary>
    /// An OCI image index of <see cref="BaseImage"/> for linux/amd64 and linux/arm64 (multi-RID publishes). Not among the
    /// required keys: an env file written by an older start.sh fails only the tests that use it, with a message to rerun it.
    /// </summary>
    public string MultiArchBaseImage => Get("MULTIARCH_BASE_IMAGE");
    public string DotnetContainerInsecureRegistries => Get("DOTNET_CONTAINER_INSECURE_REGISTRIES");
    /// <summary>http://127.0.0.1:8081/git; repositories live at &lt;base&gt;/&lt;name&gt;.git.</summary>
    public string GitHttpBase => Get("GIT_HTTP_BASE");
    public string GitProjectRoot => Get("GIT_PROJECT_ROOT");
    /// <summary>https://127.0.0.1:8443/git: the same repositories over TLS, certificate signed by <see cref="GitCaBundle"/>.</summary>
    public string GitHttpsBase => Get("GIT_HTTPS_BASE");
    /// <summary>https://127.0.0.1:8444/git: a certificate from the same CA, but for git.example.com.</summary>
    public string GitHttpsWrongHostBase => Get("GIT_HTTPS_WRONG_HOST_BASE");
    /// <summary>The environment's private CA (PEM), which no system store trusts.</summary>
    public string GitCaBundle => Get("GIT_CA_BUNDLE");
    /// <summary>http://127.0.0.1:3128: squid with basic auth (<see cref="ProxyUser"/>/<see cref="ProxyPassword"/>).</summary>
    public string ProxyUrl => Get("PROXY_URL");
    public string ProxyUser => Get("PROXY_USER");
    public string ProxyPassword => Get("PROXY_PASSWORD");
    /// <summary>The proxy's access log: a line per request it forwarded ("GET http://…", "CONNECT host:port").</summary>
    public string ProxyLog => Get("PROXY_LOG");

    /// <summary>The proxy URL with its credentials, as a user writes it into https_proxy.</summary>
    public string ProxyUrlWithCredentials => ProxyUrl.Replace("http://", $"http://{ProxyUser}:{ProxyPassword}@", StringComparison.Ordinal);
    public string GitUsername => Get("GIT_USERNAME");
    public string GitToken => Get("GIT_TOKEN");
    public string GitReaderUsername => Get("GIT_READER_USERNAME");
    public string GitReaderToken => Get("GIT_READER_TOKEN");
    /// <summary>git-server.sh: <c>stop</c> / <c>start</c> simulate a git server outage.</summary>
    public string GitServerScript => Get("GIT_SERVER_SCRIPT");
    public string NginxPidFile => Get("NGINX_PID_FILE");
    /// <summary>run-image.sh IMAGE HOSTPORT: runs an image with podman, prints the container id.</summary>
    public string RunImageScript => Get("RUN_IMAGE_SCRIPT");
    /// <summary>remove-container.sh ID...: removes containers started by <see cref="RunImageScript"/>.</summary>
    public string RemoveContainerScript => Get("REMOVE_CONTAINER_SCRIPT");
    public string ContainersConf => Get("CONTAINERS_CONF");
    public string ContainersStorageConf => Get("CONTAINERS_STORAGE_CONF");
    public string ContainersRegistriesConf => Get("CONTAINERS_REGISTRIES_CONF");

    /// <summary>ssh://gitops@127.0.0.1:2222&lt;GIT_PROJECT_ROOT&gt;: the HTTP server's repositories over SSH (ssh-server.sh).</summary>
    public string SshGitBase => Get("SSH_GIT_BASE");
    /// <summary>gitops@127.0.0.2: (port 22): scp-style, relative to the git user's home, which is GIT_PROJECT_ROOT.</summary>
    public string SshScpBase => Get("SSH_SCP_BASE");
    /// <summary>Private key authorized to fetch and push.</summary>
    public string SshDeployKey => Get("SSH_DEPLOY_KEY");
    /// <summary>Private key authorized to fetch only: receive-pack is refused ("marked as read only").</summary>
    public string SshReadonlyKey => Get("SSH_READONLY_KEY");
    /// <summary>Private key the server does not know.</summary>
    public string SshOtherKey => Get("SSH_OTHER_KEY");
    /// <summary>known_hosts with the server's host key for both SSH addresses.</summary>
    public string SshKnownHosts => Get("SSH_KNOWN_HOSTS");
    /// <summary>known_hosts with another key for the same hosts (a changed host key).</summary>
    public string SshWrongKnownHosts => Get("SSH_WRONG_KNOWN_HOSTS");

    /// <summary>Repository NAME (see <see cref="CreateBareRepository"/>) as ssh://… and as scp-style user@host:NAME.git.</summary>
    public string SshRepositoryUrl(string name) => $"{SshGitBase}/{name}.git";

    public string ScpRepositoryUrl(string name) => $"{SshScpBase}{name}.git";

    /// <summary>The environment with its SSH server (ssh-server.sh), or the end of the test as in <see cref="Require"/>.</summary>
    public static TestEnvironment RequireSsh()
    {
        var environment = Require();
        if (!SshKeys.All(environment.values.ContainsKey))
            End($"{EnvironmentFilePath} lacks the SSH server's settings ({string.Join(", ", SshKeys)})");
        return environment;
    }

    private static readonly string[] SshKeys =
        ["SSH_GIT_BASE", "SSH_SCP_BASE", "SSH_DEPLOY_KEY", "SSH_READONLY_KEY", "SSH_OTHER_KEY", "SSH_KNOWN_HOSTS", "SSH_WRONG_KNOWN_HOSTS"];

    public GitCredentials WriterCredentials => new(GitUsername, GitToken);

    /// <summary>The Authorization header value that carries <see cref="WriterCredentials"/>.</summary>
    public string WriterCredentialsHeader() =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{GitUsername}:{GitToken}"));
    public GitCredentials ReaderCredentials => new(GitReaderUsername, GitReaderToken);

    /// <summary>Variables for <c>dotnet publish</c>, podman and skopeo to use this environment.</summary>
    public IReadOnlyDictionary<string, string?> ContainerVariables => new Dictionary<string, string?>
    {
        ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = DotnetContainerInsecureRegistries,
        ["CONTAINERS_CONF"] = ContainersConf,
        ["CONTAINERS_STORAGE_CONF"] = ContainersStorageConf,
        ["CONTAINERS_REGISTRIES_CONF"] = ContainersRegistriesConf,
    };

    public static string EnvironmentFilePath =>
        Path.Combine(
            Environment.GetEnvironmentVariable("GITOPS_ENV_DIR") is { Length: > 0 } dir ? dir : DefaultDirectory,
            "env");

    /// <summary>
    /// The running environment, or the end of the test: Assert.Fail on CI (CI=true), where a
    /// missing environment is a broken pipeline, Assert.Inconclusive elsewhere.
    /// </summary>
    public static TestEnvironment Require()
    {
        var (environment, problems) = Probe();
        if (problems.Count == 0)
        {
            return environment!;
        }

        End(string.Join("; ", problems));
        throw new InvalidOperationException("unreachable");
    }

    private static void End(string problems)
    {
        var message = $"Test environment not available: {problems}. Start it with {StartCommand}.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }
        Assert.Inconclusive(message);
    }

    /// <summary>Reads the env file and checks the servers; never asserts.</summary>
    public static (TestEnvironment? Environment, IReadOnlyList<string> Problems) Probe()
    {
        var path = EnvironmentFilePath;
        if (!File.Exists(path))
        {
            return (null, [$"no environment file {path}"]);
        }

        var environment = new TestEnvironment(ReadEnvironmentFile(path));
        var problems = new List<string>();
        var missingKeys = RequiredKeys.Where(key => !environment.values.ContainsKey(key)).ToList();
        if (missingKeys.Count > 0)
        {
            problems.Add($"{path} lacks {string.Join(", ", missingKeys)}");
            return (environment, problems);
        }

        var registry = Status($"http://{environment.Registry}/v2/");
        if (registry != HttpStatusCode.OK)
        {
            problems.Add($"registry http://{environment.Registry}/v2/ {Describe(registry)} (expected 200)");
        }
        // Any HTTP answer (401 without credentials) means nginx is serving.
        var git = Status($"{environment.GitHttpBase}/");
        if (git is null)
        {
            problems.Add($"git server {environment.GitHttpBase} does not answer");
        }
        return (environment, problems);
    }

    /// <summary>"on": repositories the tests create serve filters (the treeless write-back); otherwise they do not.</summary>
    public const string FiltersVariable = "GITOPS_TEST_GIT_FILTERS";

    /// <summary>The HTTP URL of repository NAME; it never carries credentials.</summary>
    public string RepositoryUrl(string name) => $"{GitHttpBase}/{name}.git";

    /// <summary>
    /// (Re)creates bare repository NAME.git under <see cref="GitProjectRoot"/> (push over HTTP
    /// enabled, default branch main), optionally with one initial commit of seedDirectory's
    /// contents, as build/env/new-git-repo.sh does. Returns its HTTP URL.
    /// <paramref name="filters"/>: whether upload-pack serves object filters and wants by id (uploadpack.allowFilter,
    /// uploadpack.allowAnySHA1InWant), which the treeless write-back needs; null: as <see cref="FiltersVariable"/> says
    /// (default off, git's own default), so the whole suite can run on either path.
    /// </summary>
    public string CreateBareRepository(string name, string? seedDirectory = null, bool? filters = null)
    {
        if (!RepositoryName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal) || name.EndsWith(".git", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid repository name '{name}'.", nameof(name));
        }
        if (seedDirectory is not null && !Directory.Exists(seedDirectory))
        {
            throw new DirectoryNotFoundException($"Seed directory '{seedDirectory}' does not exist.");
        }

        var repository = Path.Combine(GitProjectRoot, name + ".git");
        if (Directory.Exists(repository))
        {
            Directory.Delete(repository, recursive: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(repository)!);
        Git(null, null, "init", "-q", "--bare", "--initial-branch=main", repository);
        // git-http-backend refuses pushes unless receivepack is on.
        Git(repository, null, "config", "http.receivepack", "true");
        var allow = filters ?? string.Equals(Environment.GetEnvironmentVariable(FiltersVariable), "on", StringComparison.OrdinalIgnoreCase);
        Git(repository, null, "config", "uploadpack.allowFilter", allow ? "true" : "false");
        Git(repository, null, "config", "uploadpack.allowAnySHA1InWant", allow ? "true" : "false");
        Git(repository, null, "config", "uploadpack.allowRefInWant", allow ? "true" : "false");

        if (seedDirectory is not null)
        {
            var work = Directory.CreateTempSubdirectory("gitops-seed-").FullName;
            try
            {
                CopyDirectory(seedDirectory, work);
                Git(work, null, "init", "-q", "--initial-branch=main");
                Git(work, null, "add", "-A");
                Git(work, null, "commit", "-q", "--allow-empty", "-m", "Initial commit");
                Git(work, null, "push", "-q", repository, "main");
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        return RepositoryUrl(name);
    }

    /// <summary>Runs git and throws with its output when it fails.</summary>
    public ProcessResult Git(string? workingDirectory, GitCredentials? credentials, params string[] arguments)
    {
        var result = TryGit(workingDirectory, credentials, arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result}");
        }
        return result;
    }

    /// <summary>
    /// Runs git without throwing. Credentials reach git through a credential helper that reads
    /// them from this process's environment variables: never through the URL or the command line.
    /// Any user or system credential helper is switched off, and git never prompts.
    /// </summary>
    public ProcessResult TryGit(string? workingDirectory, GitCredentials? credentials, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_AUTHOR_NAME"] = "GitOps Test",
            ["GIT_AUTHOR_EMAIL"] = "gitops-test@example.invalid",
            ["GIT_COMMITTER_NAME"] = "GitOps Test",
            ["GIT_COMMITTER_EMAIL"] = "gitops-test@example.invalid",
            ["GITOPS_TEST_GIT_USERNAME"] = credentials?.Username,
            ["GITOPS_TEST_GIT_PASSWORD"] = credentials?.Token,
        };
        var allArguments = new List<string> { "-c", "credential.helper=", "-c", "commit.gpgsign=false" };
        if (credentials is not null)
        {
            allArguments.AddRange(["-c", CredentialHelper]);
        }
        allArguments.AddRange(arguments);
        return ProcessRunner.Run("git", allArguments, workingDirectory, environment);
    }

    // Answers only 'get'; the values come from the environment set in TryGit.
    private const string CredentialHelper =
        "credential.helper=!f() { test \"$1\" = get && printf 'username=%s\\npassword=%s\\n' \"$GITOPS_TEST_GIT_USERNAME\" \"$GITOPS_TEST_GIT_PASSWORD\"; }; f";

    private static readonly string[] RequiredKeys =
    [
        "GITOPS_ENV_DIR", "GITOPS_ENV_SCRIPTS", "REGISTRY", "BASE_IMAGE", "RUNTIME_BASE_IMAGE",
        "DOTNET_CONTAINER_INSECURE_REGISTRIES", "GIT_HTTP_BASE", "GIT_PROJECT_ROOT",
        "GIT_HTTPS_BASE", "GIT_HTTPS_WRONG_HOST_BASE", "GIT_CA_BUNDLE", "PROXY_URL", "PROXY_USER", "PROXY_PASSWORD", "PROXY_LOG",
        "GIT_USERNAME", "GIT_TOKEN", "GIT_READER_USERNAME", "GIT_READER_TOKEN",
        "GIT_SERVER_SCRIPT", "NGINX_PID_FILE", "RUN_IMAGE_SCRIPT", "REMOVE_CONTAINER_SCRIPT",
        "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF", "CONTAINERS_REGISTRIES_CONF",
    ];

    private string Get(string key) =>
        values.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"{EnvironmentFilePath} has no {key}; rerun {StartCommand}.");

    private static Dictionary<string, string> ReadEnvironmentFile(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var separator = line.IndexOf('=');
            if (separator <= 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            result[line[..separator].Trim()] = line[(separator + 1)..];
        }
        return result;
    }

    private static HttpStatusCode? Status(string url)
    {
        try
        {
            using var response = Http.GetAsync(url).GetAwaiter().GetResult();
            return response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string Describe(HttpStatusCode? status) =>
        status is null ? "does not answer" : $"answered {(int)status}";

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, directory);
            if (!IsInGitDirectory(relative))
            {
                Directory.CreateDirectory(Path.Combine(destination, relative));
            }
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!IsInGitDirectory(relative))
            {
                File.Copy(file, Path.Combine(destination, relative), overwrite: true);
            }
        }
    }

    private static bool IsInGitDirectory(string relativePath) =>
        relativePath == ".git" || relativePath.StartsWith(".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial Regex RepositoryName();
}
