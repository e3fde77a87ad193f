using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Tasks;
using GitOps.Build.Forge.GitHub;
using GitOps.Build.Tests.Forge.Contracts;

namespace GitOps.Build.Tests.Forge;

/// <summary>GitHub App credentials: the JWT, its exchange for an installation token, and the settings' errors.</summary>
[TestClass]
public sealed class GitHubAppTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static ForgeRepository Repository(GitHubContract contract) =>
        new(ForgeKind.GitHub, contract.Server.ApiRoot, contract.Owner, null, contract.Repository, "https://github.example/team/config.git");

    [TestMethod]
    public void The_JWT_is_RS256_issued_60_seconds_in_the_past_for_at_most_ten_minutes()
    {
        using var key = RSA.Create(2048);
        var app = GitHubApp.FromEnvironment(Environment((GitHubApp.IdVariable, "1234"), (GitHubApp.PrivateKeyVariable, key.ExportRSAPrivateKeyPem())))!;
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        var parts = app.CreateJwt(now).Split('.');

        static byte[] Decode(string part) => Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight((part.Length + 3) / 4 * 4, '='));
        var header = JsonNode.Parse(Decode(parts[0]))!;
        var payload = JsonNode.Parse(Decode(parts[1]))!;
        Assert.AreEqual("RS256", (string?)header["alg"]);
        Assert.AreEqual("1234", (string?)payload["iss"]);
        Assert.AreEqual(now.ToUnixTimeSeconds() - 60, (long)payload["iat"]!);
        Assert.IsTrue((long)payload["exp"]! - (long)payload["iat"]! <= 600);
        Assert.IsTrue((long)payload["exp"]! > now.ToUnixTimeSeconds());
        Assert.IsTrue(key.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [TestMethod]
    public void A_public_key_given_for_the_private_key_is_GITOPS134_when_read_not_a_stack_trace_when_signing()
    {
        using var key = RSA.Create(2048);

        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            GitHubApp.FromEnvironment(Environment((GitHubApp.IdVariable, "1"), (GitHubApp.PrivateKeyVariable, key.ExportSubjectPublicKeyInfoPem()))));

        Assert.AreEqual("GITOPS134", error.Code, error.Message);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void A_private_key_path_naming_a_FIFO_is_GITOPS100_not_a_hang()
    {
        var fifo = Path.Combine(Path.GetTempPath(), "gitops-app-key-" + Guid.NewGuid().ToString("N"));
        Assert.AreEqual(0, System.Diagnostics.Process.Start("mkfifo", fifo)!.WaitForExitAsync().Wait(10_000) ? 0 : 1);
        try
        {
            var error = Assert.ThrowsExactly<GitOpsException>(() =>
                GitHubApp.FromEnvironment(Environment((GitHubApp.IdVariable, "1"), (GitHubApp.PrivateKeyVariable, fifo))));
            Assert.AreEqual("GITOPS100", error.Code, error.Message);
            StringAssert.Contains(error.Message, GitHubApp.PrivateKeyVariable);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [TestMethod]
    public void The_key_may_be_a_path_or_PEM_text_with_escaped_newlines()
    {
        using var key = RSA.Create(2048);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, pem);
            Assert.IsNotNull(GitHubApp.FromEnvironment(Environment((GitHubApp.IdVariable, "1"), (GitHubApp.PrivateKeyVariable, file))));
            Assert.IsNotNull(GitHubApp.FromEnvironment(Environment((GitHubApp.IdVariable, "1"), (GitHubApp.PrivateKeyVariable, pem.ReplaceLineEndings("\\n")))));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    [DataRow("1234", null, null, "GITOPS133")]
    [DataRow(null, "-----BEGIN RSA PRIVATE KEY-----", null, "GITOPS133")]
    [DataRow("app", "KEY", null, "GITOPS133")]
    [DataRow(null, null, "99", "GITOPS133")]
    [DataRow("1234", "KEY", "x", "GITOPS133")]
    [DataRow("1234", "-----BEGIN RSA PRIVATE KEY-----\nnot base64 secretmaterial\n-----END RSA PRIVATE KEY-----", null, "GITOPS134")]
    [DataRow("1234", "/nonexistent/app.pem", null, "GITOPS134")]
    public void Incomplete_or_unusable_settings_are_coded_errors_that_never_quote_the_key(string? id, string? key, string? installation, string code)
    {
        using var rsa = RSA.Create(2048);
        var value = key == "KEY" ? rsa.ExportRSAPrivateKeyPem() : key;

        var error = Assert.ThrowsExactly<GitOpsException>(() => GitHubApp.FromEnvironment(Environment(
            (GitHubApp.IdVariable, id!), (GitHubApp.PrivateKeyVariable, value!), (GitHubApp.InstallationIdVariable, installation!))));

        Assert.AreEqual(code, error.Code);
        Assert.IsFalse(error.Message.Contains("secretmaterial", StringComparison.Ordinal) || error.Message.Contains("MII", StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void No_App_variables_means_no_App()
    {
        Assert.IsNull(GitHubApp.FromEnvironment(Environment()));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("4711")]
    public void The_JWT_is_exchanged_for_an_installation_token_that_git_and_the_API_then_use(string? installationId)
    {
        using var contract = new GitHubContract();
        var log = new ListLog();
        var environment = Environment((GitHubApp.IdVariable, GitHubContract.AppId.ToString()), (GitHubApp.PrivateKeyVariable, contract.AppKey.ExportRSAPrivateKeyPem()),
            (GitHubApp.InstallationIdVariable, installationId!), ("GITOPS_TOKEN", "ghp_ignored"));

        var access = ForgeAccess.Resolve(Repository(contract), environment, HttpTransportSettings.Direct, new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), log);
        using var client = ForgeClients.Connect(Repository(contract), access.Api, HttpTransportSettings.Direct, new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), log);
        client.CheckAccessAsync("main", CancellationToken.None).GetAwaiter().GetResult();

        contract.AssertHonoured();
        Assert.AreEqual(0, contract.JwtProblems.Count, string.Join("; ", contract.JwtProblems));
        Assert.AreEqual(new GitCredentials("x-access-token", GitHubContract.InstallationToken), access.Git);
        var requests = contract.Server.Requests;
        Assert.AreEqual(installationId is null ? 3 : 2, requests.Count);
        Assert.AreEqual("apps/create-installation-access-token", requests[^2].Operation?.OperationId);
        Assert.AreEqual("Bearer " + GitHubContract.InstallationToken, requests[^1].Authorization);
        // The JWT goes to the App operations only.
        var jwt = requests[^2].Authorization!;
        Assert.IsTrue(requests.Where(r => r.Authorization == jwt).All(r => r.Operation!.OperationId.StartsWith("apps/", StringComparison.Ordinal)));
        Assert.IsFalse(access.ToString().Contains(GitHubContract.InstallationToken, StringComparison.Ordinal));
        Assert.IsFalse(string.Join("\n", log.Lines).Contains(GitHubContract.InstallationToken, StringComparison.Ordinal));
    }

    [TestMethod]
    public void A_JWT_signed_by_another_key_is_refused_as_GITOPS125()
    {
        using var contract = new GitHubContract();
        using var other = RSA.Create(2048);
        var environment = Environment((GitHubApp.IdVariable, GitHubContract.AppId.ToString()), (GitHubApp.PrivateKeyVariable, other.ExportRSAPrivateKeyPem()));

        var error = Assert.ThrowsExactly<GitOpsException>(() => ForgeAccess.Resolve(Repository(contract), environment, HttpTransportSettings.Direct,
            new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), NullBuildLog.Instance));

        Assert.AreEqual("GITOPS125", error.Code);
        StringAssert.Contains(contract.JwtProblems.Single(), "signature");
    }

    [TestMethod]
    public void Without_App_or_token_the_API_has_no_credentials_GITOPS124()
    {
        using var contract = new GitHubContract();

        var error = Assert.ThrowsExactly<GitOpsException>(() => ForgeAccess.Resolve(Repository(contract), Environment(), HttpTransportSettings.Direct,
            new Deadline(TimeSpan.FromSeconds(60), CancellationToken.None), NullBuildLog.Instance));

        Assert.AreEqual("GITOPS124", error.Code);
        StringAssert.Contains(error.Message, "GITOPS_GITHUB_APP_ID");
        Assert.AreEqual(0, contract.Server.Requests.Count);
    }

    private sealed class ListLog : IBuildLog
    {
        public List<string> Lines { get; } = [];
        public void Important(string message) => Lines.Add(message);
        public void Detail(string message) => Lines.Add(message);
        public void Warning(GitOpsError warning, params object?[] args) => Lines.Add(warning.Format(args));
    }
}
