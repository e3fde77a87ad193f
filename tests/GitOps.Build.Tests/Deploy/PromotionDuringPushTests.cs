using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;
using TestEnvironment = GitOps.Build.Tests.Infrastructure.TestEnvironment;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// A promotion from the branch 'staging' to 'main', against the real git server, where a deploy to staging lands during
/// the push itself: after the listing that checks staging's tip just before the push, before the push's answer. The
/// served repository gets a reference-transaction hook that moves staging (to a commit that deploys web:eee5555) when
/// main's update is committed, as a staging pipeline pushing at that moment would. The promotion's commit is then on
/// the server, and GITOPS113 says so exactly instead of a silent success.
/// </summary>
[TestClass]
[TestCategory("GitServer")]
public sealed class PromotionDuringPushTests
{
    private const string MovedRef = "refs/gitops-test/staging-moved";

    private const string DeployToStaging = $$"""
        #!/bin/sh
        # When main's update is committed, a deploy to staging lands (once).
        [ "$1" = committed ] && [ -z "$GITOPS_TEST_STAGING" ] || exit 0
        while read -r old new ref; do
            [ "$ref" = refs/heads/main ] && GITOPS_TEST_STAGING=1 git update-ref refs/heads/staging "$(git rev-parse {{MovedRef}})"
        done
        exit 0
        """;

    [TestMethod]
    [DataRow("http")]
    [DataRow("ssh")]
    public void A_deploy_to_the_source_landing_during_the_push_is_GITOPS113_naming_the_pushed_commit(string transport)
    {
        var environment = TestEnvironment.Require();
        using var repository = StagingAndMain(environment);
        var hook = Path.Combine(repository.Path, "hooks", "reference-transaction");
        ShellScript.Write(hook, DeployToStaging.ReplaceLineEndings("\n") + "\n");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Promote(environment, repository, transport));

        Assert.AreEqual(Errors.PromotionSourceMovedDuringPush.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "registry.example.com/web:eee5555");
        StringAssert.Contains(error.Message, repository.Tip("main")[..7], "the message names the commit that was pushed");
        Assert.AreEqual("image: registry.example.com/web:ccc3333\n", repository.Git("show", "main:" + ServedRepository.Manifest) + "\n");
        Assert.AreEqual(repository.Git("rev-parse", MovedRef), repository.Tip("staging"), "the hook ran");
        repository.AssertNoClonesLeft();
    }

    [TestMethod]
    public void A_source_that_cannot_be_read_again_after_the_push_is_still_GITOPS113_naming_the_pushed_commit()
    {
        var environment = TestEnvironment.Require();
        using var repository = StagingAndMain(environment);
        // The later staging commit removes the manifest: the second read fails, after the promotion landed.
        var work = TempDirectory.NewPath(null, "gitops-promotion-seed-");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", "--branch", "staging", repository.Path, work);
            GitCli.Run(work, "rm", "--quiet", ServedRepository.Manifest);
            GitCli.Run(work, "commit", "--quiet", "-m", "remove web");
            GitCli.Run(work, "push", "--quiet", "--force", "origin", "HEAD:" + MovedRef);
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
        var hook = Path.Combine(repository.Path, "hooks", "reference-transaction");
        ShellScript.Write(hook, DeployToStaging.ReplaceLineEndings("\n") + "\n");

        var error = Assert.ThrowsExactly<GitOpsException>(() => Promote(environment, repository, "http"));

        Assert.AreEqual(Errors.PromotionSourceMovedDuringPush.Code, error.Code, error.Message);
        StringAssert.Contains(error.Message, "could not be read again");
        StringAssert.Contains(error.Message, repository.Tip("main")[..7]);
    }

    [TestMethod]
    public void Without_a_deploy_to_the_source_the_same_promotion_goes_through()
    {
        var environment = TestEnvironment.Require();
        using var repository = StagingAndMain(environment);

        var (result, _) = Promote(environment, repository, "http");

        Assert.AreEqual(repository.Tip("main"), result.CommitSha);
    }

    private static Deployment Promote(TestEnvironment environment, ServedRepository repository, string transport)
    {
        var url = transport == "ssh" ? environment.SshRepositoryUrl(repository.Name) : repository.Url(environment.GitHttpBase);
        var manifests = new[] { new ManifestTarget(ServedRepository.Manifest, new ManifestEditOptions()) };
        var source = new PromotionSource("staging", manifests, ImageReference.Parse("registry.example.com/web"),
            ImageReference.Parse("registry.example.com/web:ccc3333"), "staging", repository.Tip("staging"));
        var request = new DeploymentRequest(new DeploymentFacts(ImageReference.Parse("registry.example.com/web:ccc3333"), null, null, null, "Web.csproj"),
            ConfigRepositoryLocation.Parse(url), "main", manifests, null, "Bot", "bot@example.com", false, PromotedFrom: source);
        var options = new ConfigWriterOptions
        {
            Transports = TestTransports.With(ssh: new SshSettings { Key = environment.SshDeployKey, KnownHosts = environment.SshKnownHosts }),
            WorkDirectory = repository.WorkDirectory,
            PushRetries = 0,
        };
        return new ConfigDeployer(environment.WriterCredentials, NullBuildLog.Instance, options).Deploy(request);
    }

    /// <summary>main runs web:aaa1111; staging runs web:ccc3333; <see cref="MovedRef"/> is a later staging deploy of web:eee5555.</summary>
    private static ServedRepository StagingAndMain(TestEnvironment environment)
    {
        var repository = ServedRepository.Create(environment, "promotion-tests");
        var work = TempDirectory.NewPath(null, "gitops-promotion-seed-");
        try
        {
            GitCli.Run(Path.GetTempPath(), "clone", "--quiet", repository.Path, work);
            Commit(work, "ccc3333");
            GitCli.Run(work, "push", "--quiet", "origin", "HEAD:refs/heads/staging");
            Commit(work, "eee5555");
            GitCli.Run(work, "push", "--quiet", "origin", "HEAD:" + MovedRef);
        }
        finally
        {
            TempDirectory.TryDelete(work);
        }
        return repository;
    }

    private static void Commit(string work, string tag)
    {
        File.WriteAllText(Path.Combine(work, ServedRepository.Manifest), $"image: registry.example.com/web:{tag}\n");
        GitCli.Run(work, "add", "--all");
        GitCli.Run(work, "commit", "--quiet", "-m", "deploy(web): " + tag);
    }
}
