using System.Net.Http.Headers;
using System.Net;
using System.Text;
using GitOps.Build.ConfigRepo;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace GitOps.Build.Tests.Infrastructure;

/// <summary>Proves the offline test environment (build/env/start.sh) does what later tests rely on.</summary>
[TestClass]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class TestEnvironmentTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly List<string> temporaryDirectories = [];

    [TestCleanup]
    public void DeleteTemporaryDirectories()
    {
        foreach (var directory in temporaryDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_registry_answers_and_holds_the_base_images()
    {
        var environment = TestEnvironment.Require();

        using var root = await Http.GetAsync($"http://{environment.Registry}/v2/");
        Assert.AreEqual(HttpStatusCode.OK, root.StatusCode);

        foreach (var image in new[] { environment.BaseImage, environment.RuntimeBaseImage })
        {
            var (repository, tag) = SplitImage(image, environment.Registry);
            using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{environment.Registry}/v2/{repository}/manifests/{tag}");
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            using var manifest = await Http.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.OK, manifest.StatusCode, $"manifest of {image}");
        }
    }

    [TestMethod]
    public void Clone_and_push_over_HTTP_with_the_token_work()
    {
        var environment = TestEnvironment.Require();
        var seed = NewTemporaryDirectory();
        File.WriteAllText(Path.Combine(seed, "README.md"), "seed\n");
        var url = environment.CreateBareRepository(UniqueRepositoryName(), seed);
        Assert.DoesNotContain(environment.GitToken, url, "URLs never carry credentials");

        var clone = Path.Combine(NewTemporaryDirectory(), "clone");
        environment.Git(null, environment.WriterCredentials, "clone", "-q", url, clone);
        Assert.IsTrue(File.Exists(Path.Combine(clone, "README.md")), "the seed commit is cloned");

        File.WriteAllText(Path.Combine(clone, "image.txt"), "127.0.0.1:5000/demo/app:t1\n");
        environment.Git(clone, null, "add", "image.txt");
        environment.Git(clone, null, "commit", "-q", "-m", "Update image");
        environment.Git(clone, environment.WriterCredentials, "push", "-q", "origin", "main");

        var local = environment.Git(clone, null, "rev-parse", "HEAD").StandardOutput.Trim();
        var remote = environment.Git(null, environment.ReaderCredentials, "ls-remote", url, "refs/heads/main").StandardOutput;
        Assert.StartsWith(local, remote, "the pushed commit is what the server has on main");
    }

    [TestMethod]
    public async Task A_wrong_token_is_rejected_with_401()
    {
        var environment = TestEnvironment.Require();
        var url = environment.CreateBareRepository(UniqueRepositoryName(), null);
        var wrong = new GitCredentials(environment.GitUsername, "not-the-token");

        using var response = await GetInfoRefs(url, "git-upload-pack", wrong);
        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);

        var result = environment.TryGit(null, wrong, "ls-remote", url);
        Assert.AreNotEqual(0, result.ExitCode);
        Assert.Contains("Authentication failed", result.StandardError);
    }

    [TestMethod]
    public async Task The_reader_may_fetch_but_gets_403_on_push()
    {
        var environment = TestEnvironment.Require();
        var seed = NewTemporaryDirectory();
        File.WriteAllText(Path.Combine(seed, "README.md"), "seed\n");
        var url = environment.CreateBareRepository(UniqueRepositoryName(), seed);

        using (var fetch = await GetInfoRefs(url, "git-upload-pack", environment.ReaderCredentials))
        {
            Assert.AreEqual(HttpStatusCode.OK, fetch.StatusCode);
        }
        using (var push = await GetInfoRefs(url, "git-receive-pack", environment.ReaderCredentials))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, push.StatusCode);
        }

        var clone = Path.Combine(NewTemporaryDirectory(), "clone");
        environment.Git(null, environment.ReaderCredentials, "clone", "-q", url, clone);
        environment.Git(clone, null, "commit", "-q", "--allow-empty", "-m", "Not allowed");
        var result = environment.TryGit(clone, environment.ReaderCredentials, "push", "origin", "main");
        Assert.AreNotEqual(0, result.ExitCode);
        Assert.Contains("403", result.StandardError);
    }

    private static async Task<HttpResponseMessage> GetInfoRefs(string repositoryUrl, string service, GitCredentials credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{repositoryUrl}/info/refs?service={service}");
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Token}")));
        return await Http.SendAsync(request);
    }

    private static (string Repository, string Tag) SplitImage(string image, string registry)
    {
        var path = image[(registry.Length + 1)..];
        var colon = path.LastIndexOf(':');
        return (path[..colon], path[(colon + 1)..]);
    }

    // Each test gets its own repository; the bare repository is deleted after the test.
    private string UniqueRepositoryName()
    {
        var name = $"tests/infrastructure-{Guid.NewGuid():N}";
        var environment = TestEnvironment.Require();
        temporaryDirectories.Add(Path.Combine(environment.GitProjectRoot, name + ".git"));
        return name;
    }

    private string NewTemporaryDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-env-test-").FullName;
        temporaryDirectories.Add(directory);
        return directory;
    }
}
