namespace GitOps.Build.Diagnostics;

/// <summary>
/// Every error and warning a user can cause, with its stable code. docs/errors.md explains each one.
/// Ranges: 001-019 inputs and source commit, 020-039 config repository (Git), 040-059 manifests, 060-079 warnings,
/// 080-094 transports (080-089 SSH, 090-094 TLS and proxies), 095-096 multi-platform images.
/// </summary>
internal static partial class Errors
{
    // ---- Inputs (001-009) ----
    public static readonly GitOpsError ConfigRepositoryMissing = new("GITOPS001",
        "GitOpsConfigRepository is not set. Set it to the URL or path of the config repository that holds your manifests.");

    public static readonly GitOpsError ManifestPathMissing = new("GITOPS002",
        "No manifest to update. Set GitOpsManifestPath (or add GitOpsManifest items) to a path inside the config repository, e.g. apps/myapp/deployment.yaml.");

    public static readonly GitOpsError ContainerRegistryMissing = new("GITOPS003",
        "ContainerRegistry is not set. GitOpsPush pushes the image to a registry your cluster pulls from, and the config repository must name it: set ContainerRegistry (e.g. registry.example.com).");

    public static readonly GitOpsError ImageMissing = new("GITOPS004",
        "GitOpsImage is not set. The GitOpsUpdateConfig target deploys an image that already exists: pass it, e.g. -p:GitOpsImage=registry.example.com/team/myapp:a1b2c3d.");

    public static readonly GitOpsError DigestMissing = new("GITOPS005",
        "PublishContainer pushed no image digest for {0}. Check that the SDK's container publishing ran (EnableSdkContainerSupport, ContainerRegistry).");

    public static readonly GitOpsError ManifestNotFound = new("GITOPS006",
        "The manifest '{0}' does not exist on branch '{1}' of {2}. Fix GitOpsManifestPath (or the GitOpsManifest item): paths are relative to the config repository's root.");

    public static readonly GitOpsError ManifestPathOutsideRepository = new("GITOPS007",
        "The manifest path '{0}' is not inside the config repository. Use a relative path without '..', e.g. apps/myapp/deployment.yaml (GitOpsManifestPath).");

    public static readonly GitOpsError InvalidBoolean = new("GITOPS008",
        "{0} is '{1}'. Set it to true or false.");

    public static readonly GitOpsError TemplateTokenUnknown = new("GITOPS009",
        "{0} uses the unknown token '{{{1}}}'. Use one of {2}, or write {{{{ and }}}} for literal braces.");

    // ---- Source commit and tag (010-019) ----
    public static readonly GitOpsError DirtyWorkingTree = new("GITOPS010",
        "The working tree of {0} has uncommitted changes to tracked files ({1}), so the tag '{2}' would not describe what is built. Commit the changes, or set GitOpsAllowDirty=true.");

    public static readonly GitOpsError NoSourceCommit = new("GITOPS011",
        "No Git repository was found from {0} upward, and none of GITHUB_SHA, CI_COMMIT_SHA, BUILD_SOURCEVERSION, GIT_COMMIT (nor BUILDKITE_COMMIT, CIRCLE_SHA1, BUILD_VCS_NUMBER, BITBUCKET_COMMIT) is set. Build from a Git checkout, set one of those variables, or set GitOpsImageTag.");

    public static readonly GitOpsError RepositoryHasNoCommits = new("GITOPS012",
        "The Git repository at {0} has no commits yet, so there is no commit to tag the image with. Commit your sources, or set GitOpsImageTag.");

    public static readonly GitOpsError SourceCommitInvalid = new("GITOPS013",
        "{0} is '{1}', which is not {2}. Fix or unset it.");

    public static readonly GitOpsError ImageTagInvalid = new("GITOPS014",
        "The image tag '{0}' is not valid: a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'. Fix GitOpsImageTag.");

    public static readonly GitOpsError InvalidChoice = new("GITOPS016",
        "{0} is '{1}'. Use one of: {2}.");

    public static readonly GitOpsError ManifestPatternMatchedNothing = new("GITOPS017",
        "'{0}' names no YAML file in the config repository {1}. Fix GitOpsManifestPath (or the GitOpsManifest item): a file, a directory (all *.yaml and *.yml under it) or a glob such as apps/**/deployment.yaml.");

    public static readonly GitOpsError PushBranchInvalid = new("GITOPS018",
        "GitOpsConfigPushBranch gives '{0}', which is not a valid Git branch name ({1}). Use letters, digits, '/', '-', '_' and '.', e.g. deploy/{{Repository}}-{{Tag}}.");

    public static readonly GitOpsError SourceRepositoryUnreadable = new("GITOPS015",
        "The Git repository at {0} could not be read: {1}. Check it with git status (permissions, corruption), or set GitOpsImageTag to tag the image without it.");

    public static readonly GitOpsError AppRepositoryUnreadable = new("GITOPS019",
        "The app's Git repository at {0} could not be read while checking the deploy order: {1}. Nothing was pushed to the config repository. Check it with git status (permissions, corruption).");

    // ---- Config repository (020-039) ----
    public static readonly GitOpsError ConfigAuthenticationFailed = new("GITOPS020",
        "Authentication to the config repository {0} failed. Set the environment variable GITOPS_TOKEN (and GITOPS_USERNAME if your server wants a user name other than x-access-token) to a token with write access.");

    public static readonly GitOpsError ConfigServerUnreachable = new("GITOPS021",
        "The config repository {0} could not be reached: {1}. Check GitOpsConfigRepository and the network.");

    public static readonly GitOpsError ConfigBranchMissing = new("GITOPS022",
        "The branch '{0}' does not exist in the config repository {1}. Fix GitOpsConfigBranch, or leave it empty to use the repository's default branch.");

    public static readonly GitOpsError ConfigPushRejected = new("GITOPS023",
        "The config repository {0} rejected the push to '{1}': {2}. Nothing was changed there. Fix what the server's message names (a hook, a protected branch), or set GitOpsConfigBranch to a branch you may push to.");

    public static readonly GitOpsError ConfigRepositoryNotFound = new("GITOPS024",
        "The config repository {0} was not found, or the token has no access to it. Check GitOpsConfigRepository and GITOPS_TOKEN.");

    public static readonly GitOpsError ConfigRepositorySchemeUnsupported = new("GITOPS025",
        "GitOpsConfigRepository '{0}' uses an unsupported scheme. Use https://, http://, ssh://, scp-style user@host:path, file:// or a local path.");

    public static readonly GitOpsError ConfigRepositoryEmpty = new("GITOPS026",
        "The config repository {0} has no commits. Push an initial commit with your manifests first.");

    public static readonly GitOpsError ConfigGitFailed = new("GITOPS027",
        "A Git operation on the config repository {0} failed: {1}. Check GitOpsConfigRepository and the server's logs.");

    public static readonly GitOpsError ConfigAccessForbidden = new("GITOPS028",
        "The config repository {0} refused the token (403 Forbidden). Give the token in GITOPS_TOKEN read and write (push) permission on that repository.");

    public static readonly GitOpsError ConfigPushConflictsExhausted = new("GITOPS029",
        "The branch '{1}' of {0} kept moving: {2} attempts lost the race to other pushes. Run the build again, or raise GitOpsPushRetries.");

    public static readonly GitOpsError ConfigTimedOut = new("GITOPS030",
        "Updating the config repository {0} did not finish within {1}. Check the network and the server, or raise GitOpsConfigTimeout (seconds).");

    public static readonly GitOpsError ConfigRedirectRefused = new("GITOPS031",
        "The config repository {0} redirected to {1}, another host (or scheme or port). Credentials are only sent to the host of GitOpsConfigRepository, so the redirect was not followed and nothing was sent there. Set GitOpsConfigRepository to the repository's current URL.");

    public static readonly GitOpsError ConfigUpdateCancelled = new("GITOPS032",
        "The update of the config repository {0} was cancelled before it finished. Nothing was pushed unless the log says so: a push that was in flight either landed whole or not at all. Run the build again to deploy.");

    public static readonly GitOpsError ControlCharacter = new("GITOPS035",
        "{0} contains the control character {1} at position {2}, which Git would cut short or refuse. Fix the value: remove the character.");

    public static readonly GitOpsError CommitIdentityInvalid = new("GITOPS036",
        "{0} is '{1}', which cannot be written into a commit's author line: {2}. Set {0} to a value without '<', '>' or line breaks.");

    public static readonly GitOpsError NumberOutOfRange = new("GITOPS037",
        "{0} is '{1}'. Set it to a whole number from {2} to {3}.");

    public static readonly GitOpsError FailedAfterPush = new("GITOPS038",
        "The config commit {0} was pushed to '{1}' of {2}, so the deploy happened, but reporting it then failed: {3}. Check the commit in the config repository (there is nothing to undo), and please report this failure.");

    public static readonly GitOpsError ConfigBranchInvalid = new("GITOPS039",
        "GitOpsConfigBranch is '{0}', which is not a valid Git branch name ({1}). Fix GitOpsConfigBranch, or leave it empty to use the repository's default branch.");

    public static readonly GitOpsError ReleaseDisagrees = new("GITOPS033",
        "The projects released together to {0} cannot be deployed in one commit: {1}. Set the same value for every project of the release (in a Directory.Build.props), or set GitOpsRelease=false on the solution or traversal project to commit each project on its own.");

    public static readonly GitOpsError PromotionEnvironmentsMissing = new("GITOPS034",
        "GitOpsPromote needs two different environments: GitOpsPromoteFrom is '{0}' and GitOpsPromoteTo is '{1}'. Pass both, e.g. -p:GitOpsPromoteFrom=staging -p:GitOpsPromoteTo=production, naming GitOpsEnvironment items ({2}).");

    // ---- Manifests (040-059) ----
    public static readonly GitOpsError NoImageReference = new("GITOPS040",
        "No image reference to '{0}' was found in {1}. Images found there: {2}. Check ContainerRegistry/ContainerRepository (or GitOpsImage) and the manifest path.");

    public static readonly GitOpsError ImageReferenceInvalid = new("GITOPS041",
        "'{0}' is not a valid image reference or digest ({1}). Fix GitOpsImage (or ContainerRegistry, ContainerRepository, GitOpsImageTag): [registry/]repository[:tag][@sha256:digest], e.g. registry.example.com/team/myapp:a1b2c3d; or GitOpsImageDigest: sha256: and 64 lower-case hex digits.");

    public static readonly GitOpsError ManifestMalformed = new("GITOPS042",
        "The manifest {0} is not valid YAML: {1}. Fix the file in the config repository (yamllint reports syntax errors and repeated keys too).");

    public static readonly GitOpsError ImageValueShared = new("GITOPS043",
        "The value '{0}' in {1} at line {2} is anchored as &{3} and also used through an alias where it is not this image's reference, so changing it would change more than the image. Write the value out in place of the alias *{3}.");

    public static readonly GitOpsError ImageInBlockScalar = new("GITOPS044",
        "The image reference '{0}' in {1} at line {2} is a block scalar ('|' or '>'), which is not edited in place. Write it on one line, e.g. image: {0}");

    public static readonly GitOpsError ManifestEditUnverifiable = new("GITOPS045",
        "Replacing the image reference in {0} would change more than the image reference ({1}), so nothing was changed. Write the image value as a plain or quoted scalar on one line; if it already is, please report this.");

    public static readonly GitOpsError ImageReferenceFormatUnsatisfied = new("GITOPS046",
        "The image reference format is {0}, but the image '{1}' has no {2}. Pass an image with a {2}, or choose a reference format that the image has (Tag, Digest or TagAndDigest).");

    public static readonly GitOpsError ImageEntryNotAddable = new("GITOPS047",
        "The image value cannot be added to {0} at line {1}: that collection is in flow style ({{...}} or [...]). Write it in block style, or add the value yourself.");

    public static readonly GitOpsError StaleDigest = new("GITOPS048",
        "In {0} at line {1}, '{2}' pins the digest '{3}' while only the tag is updated, so the deployment would not change. Set the reference format to Digest or TagAndDigest, or remove the digest from the manifest.");

    public static readonly GitOpsError DigestKeyMissing = new("GITOPS049",
        "The image values in {0} at line {1} have no '{2}' key, so the digest cannot be written where the chart reads it. Add the digest key your chart uses (and set its name in the Helm key options), or use the reference format Tag.");

    public static readonly GitOpsError ManifestIsSymbolicLink = new("GITOPS050",
        "The manifest path '{0}' goes through '{1}', a symbolic link in the config repository; links are not followed, since they may point outside it. Set GitOpsManifestPath (or the GitOpsManifest item) to the path of the real file.");

    public static readonly GitOpsError ManifestTooLarge = new("GITOPS051",
        "The manifest {0} is {1} bytes, over the limit of {2} bytes. Check that GitOpsManifestPath names a Kubernetes manifest, or split the file into smaller ones.");

    public static readonly GitOpsError EnvironmentUnknown = new("GITOPS052",
        "{0} is '{1}', but no GitOpsEnvironment item has that name. Known environments: {2}. Fix {0}, or add <GitOpsEnvironment Include=\"{1}\" ManifestPath=\"...\" />.");

    public static readonly GitOpsError EnvironmentManifestPathMissing = new("GITOPS053",
        "The GitOpsEnvironment item '{0}' has no ManifestPath metadata. Set it to the environment's manifest in the config repository, e.g. ManifestPath=\"envs/{0}/kustomization.yaml\".");

    public static readonly GitOpsError DeployedImageNotFound = new("GITOPS054",
        "The environment '{0}' runs no image of '{1}': none was found in {2} on branch '{3}' of {4}. Images found there: {5}. Nothing was promoted; check the environment's ManifestPath and ContainerRegistry/ContainerRepository (or GitOpsImage).");

    public static readonly GitOpsError DeployedImageAmbiguous = new("GITOPS055",
        "The environment '{0}' runs more than one image of '{1}' on branch '{2}' of {3}: {4}. Nothing was promoted, since it is not clear which one to promote. Fix its manifests so that they agree, or narrow the environment's ManifestPath (or Container metadata) to one of them.");

    // ---- Commit signing (056-059) ----
    public static readonly GitOpsError SigningFormatUnknown = new("GITOPS056",
        "GitOpsCommitSigningFormat is '{0}'. Set it to ssh or openpgp to sign the config commit, or leave it empty to commit unsigned.");

    public static readonly GitOpsError SigningKeyMissing = new("GITOPS057",
        "GitOpsCommitSigningFormat is {0}, but the signing key {1}. Set {2}");

    public static readonly GitOpsError SigningToolMissing = new("GITOPS058",
        "GitOpsCommitSigningFormat is {0}, which signs with '{1}', but '{1}' was not found on PATH. Check that the {2} package is installed on the build machine, or leave GitOpsCommitSigningFormat empty.");

    public static readonly GitOpsError SigningFailed = new("GITOPS059",
        "Signing the config commit with {0} failed: {1}. Nothing was pushed; check {2}.");

    // ---- Warnings (060-079) ----
    public static readonly GitOpsError NewerImageDeployed = new("GITOPS060",
        "{0} ({1}) already deploys {2}, built from commit {3}, which is later than {4}, the commit of {5}. Nothing was changed so that the deploy does not go backwards. Set GitOpsAllowDowngrade=true to deploy the older image anyway (a rollback).");

    public static readonly GitOpsError DeployedTagMoved = new("GITOPS061",
        "{0} was pushed again, now as {1}, but {2} ({3}) deploys it by tag and its deploy commit {4} records {5}: the tag no longer names the image that was recorded, and a cluster may run either. Publishing a deployed commit again re-pushes its tag (the .NET SDK's images are not byte-reproducible). Set GitOpsImageReferenceFormat=TagAndDigest to pin the digest in the config, or do not re-publish a deployed commit.");

    public static readonly GitOpsError OutputNotWritten = new("GITOPS062",
        "The {0} '{1}' could not be written: {2}. The config step itself succeeded ({3}) and every other output was written. Check that '{1}' is a file in a writable directory on a disk with space.");

    public static readonly GitOpsError CredentialsInRepositoryUrl = new("GITOPS063",
        "GitOpsConfigRepository carries a password or token in its URL ({0}). MSBuild writes property values into detailed and binary logs, where GitOps.Build cannot redact them. Set the environment variable GITOPS_TOKEN (and GITOPS_USERNAME) instead, and remove the credentials from the URL.");

    public static readonly GitOpsError ReleaseEmpty = new("GITOPS064",
        "GitOpsPush is true, but no project of {0} published a container image, so nothing was deployed. Check that the services are in {0}, are executables (OutputType Exe) and are published (IsPublishable), or set GitOpsRelease=false on {0}.");

    public static readonly GitOpsError ReleaseHeldBack = new("GITOPS065",
        "None of the {0} images of the release was committed to {1} ({2}): the config already deploys a later build of one of them (GITOPS060 above), and a release is deployed whole or not at all. Nothing was changed; set GitOpsAllowDowngrade=true to deploy the older images anyway (a rollback).");

    public static readonly GitOpsError SigningKeyUnused = new("GITOPS070",
        "The environment variable GITOPS_SIGNING_KEY is set, but GitOpsCommitSigningFormat is empty, so the config commit is not signed. Set GitOpsCommitSigningFormat to ssh or openpgp to sign with that key, or unset GITOPS_SIGNING_KEY.");

    public static readonly GitOpsError PromotionWithoutProvenance = new("GITOPS071",
        "No deploy commit of {0} was found among the last {1} commits touching {2} on branch '{3}' of {4}, so the promotion carries no source-commit trailers; the image was promoted anyway. Check that environment's history: the image was probably written by hand or by another tool.");

    public static readonly GitOpsError EnvironmentStatusUnknown = new("GITOPS072",
        "GitOpsStatus could not tell what the environment '{0}' runs; the other environments are reported. Fix what this says: {1}");

    public static readonly GitOpsError StatusNotWritten = new("GITOPS073",
        "The GitOpsStatus {0} '{1}' could not be written: {2}. The status was printed to the build log. Check that '{1}' is a file in a writable directory.");

    // ---- Transports: SSH (080-089) ----
    public static readonly GitOpsError SshHostKeyUnknown = new("GITOPS080",
        "The SSH host key of {0} is not known, and host keys are checked strictly (never accepted on first use): {1}. Set GITOPS_SSH_KNOWN_HOSTS to the host's known_hosts line (ssh-keyscan, then check its fingerprint against the one your git host publishes), or add it to ~/.ssh/known_hosts.");

    public static readonly GitOpsError SshHostKeyChanged = new("GITOPS081",
        "The SSH host key of {0} does not match the one in known_hosts: {1}. Nothing was sent. Check with your git host whether its key really changed (otherwise someone may be intercepting the connection), then fix GITOPS_SSH_KNOWN_HOSTS (or ~/.ssh/known_hosts).");

    public static readonly GitOpsError SshKeyRefused = new("GITOPS082",
        "The SSH server {0} refused the key: {1}. Set GITOPS_SSH_KEY to a private key whose public key is a deploy key of the config repository (or use ssh-agent), and check the user name in GitOpsConfigRepository (git@… on most hosts).");

    public static readonly GitOpsError SshRepositoryNotFound = new("GITOPS083",
        "The config repository {0} was not found over SSH: {1}. Check the path in GitOpsConfigRepository, and that the key in GITOPS_SSH_KEY is a deploy key of that repository.");

    public static readonly GitOpsError SshPushRefused = new("GITOPS084",
        "The SSH server of {0} let the key read but refused the push: {1}. Nothing was pushed. Give the deploy key in GITOPS_SSH_KEY write access (\"Allow write access\" on the forge).");

    public static readonly GitOpsError SshClientMissing = new("GITOPS085",
        "The config repository {0} is reached over SSH, but the OpenSSH client '{1}' could not be started: {2}. Install OpenSSH's ssh (Debian/Ubuntu: openssh-client) and put it on PATH, or use an https:// GitOpsConfigRepository.");

    public static readonly GitOpsError SshKeyUnusable = new("GITOPS086",
        "GITOPS_SSH_KEY is neither an existing file nor a private key (key text starts with -----BEGIN). Set it to the path of the private key file, or to the key itself.");

    public static readonly GitOpsError SshKnownHostsUnusable = new("GITOPS087",
        "GITOPS_SSH_KNOWN_HOSTS is neither an existing file nor known_hosts lines (host keytype key). Set it to the path of a known_hosts file, or to its lines (from ssh-keyscan, checked).");

    // ---- Transports: TLS and proxies (090-094) ----
    public static readonly GitOpsError CertificateUntrusted = new("GITOPS090",
        "The TLS certificate of the config repository {0} is not trusted ({1}). Verification is never turned off. Set the environment variable {2} to the PEM file of the private CA that signed it (trusted besides the system's CAs), or add that CA to the system trust store.");

    public static readonly GitOpsError CertificateNameMismatch = new("GITOPS091",
        "The TLS certificate of the config repository {0} is not valid for the host '{1}' (it is for {2}). Set GitOpsConfigRepository to a host name the certificate names.");

    public static readonly GitOpsError CaBundleUnreadable = new("GITOPS092",
        "The environment variable {0} names '{1}', which could not be read as PEM certificates: {2}. Point it at a readable PEM file holding your CA's certificate(s).");

    public static readonly GitOpsError ProxyAuthenticationFailed = new("GITOPS093",
        "The proxy refused to forward the requests to the config repository {0} (407 Proxy Authentication Required). Set the proxy user and password in the proxy URL: https_proxy=http://user:password@proxy.example.com:3128 (percent-encode special characters).");

    public static readonly GitOpsError ProxyUrlInvalid = new("GITOPS094",
        "The environment variable {0} is '{1}', which is not a proxy URL. Set it to http://[user:password@]host:port, or unset it.");

    // ---- Multi-platform images (095-096) ----
    public static readonly GitOpsError ImageIndexMismatch = new("GITOPS095",
        "The image index the .NET SDK reported for {0} ($(GeneratedImageIndex)) {1}, so its digest would not be the one the registry holds; nothing was deployed. Check that no target of yours changes GeneratedImageIndex or @(GeneratedContainer) after PublishContainer; if none does, report it with your .NET SDK version.");
}
