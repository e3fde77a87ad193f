namespace GitOps.Build.Diagnostics;

/// <summary>
/// Every error and warning a user can cause, with its stable code. The text is in Strings.resx; docs/errors.md explains
/// each one. Ranges: 001-019 inputs and source commit, 020-039 config repository (Git), 040-059 manifests, 060-079
/// warnings, 080-094 transports (080-089 SSH, 090-094 TLS and proxies), 095-096 multi-platform images, 100-109 local
/// files, temporary files and child processes (within it, 103-106 config repository transfers: what a pack's objects
/// declare), 110-114 tasks and releases, 115-119 config repository transfers (bounds,
/// credentials, the push's check), 120-134 forges and pull requests, 135-149 the agent's verdict (within it, 147-149 what
/// a forge's API commit proved, and trees too large to read), 153-154 GitOpsCommitMethod=api's deploy wait (the agent's
/// revision asked of the forge), 155-159 commits made by the forge's API, 160-164
/// rollback, 165-169 waiting on the forge (the pull request's merge).
/// </summary>
/// <remarks>
/// To add a code (ErrorCatalogueTests checks each step):
/// 1. here, in its range's section: <c>public static readonly GitOpsError SomethingWrong = new("GITOPS123");</c>
/// 2. in Diagnostics/Strings.resx, a resource named like the field whose text starts with the code:
///    <c>&lt;data name="SomethingWrong" xml:space="preserve"&gt;&lt;value&gt;GITOPS123: What happened ({0}). Set X to …&lt;/value&gt;&lt;/data&gt;</c>
///    ({0}, {1} … are the arguments given to GitOpsException or IBuildLog.Warning; write {{ and }} for braces);
/// 3. a row in docs/errors.md (and the range's line there and above, if it is a new range).
/// The old form <c>new("GITOPS123", "text")</c> still compiles, but the test fails on it and prints the resource to add.
/// </remarks>
internal static class Errors
{
    // ---- Inputs (001-009) ----
    public static readonly GitOpsError ConfigRepositoryMissing = new("GITOPS001");
    public static readonly GitOpsError ManifestPathMissing = new("GITOPS002");
    public static readonly GitOpsError ContainerRegistryMissing = new("GITOPS003");
    public static readonly GitOpsError ImageMissing = new("GITOPS004");
    public static readonly GitOpsError DigestMissing = new("GITOPS005");
    public static readonly GitOpsError ManifestNotFound = new("GITOPS006");
    public static readonly GitOpsError ManifestPathOutsideRepository = new("GITOPS007");
    public static readonly GitOpsError InvalidBoolean = new("GITOPS008");
    public static readonly GitOpsError TemplateTokenUnknown = new("GITOPS009");

    // ---- Source commit and tag (010-019) ----
    public static readonly GitOpsError DirtyWorkingTree = new("GITOPS010");
    public static readonly GitOpsError NoSourceCommit = new("GITOPS011");
    public static readonly GitOpsError RepositoryHasNoCommits = new("GITOPS012");
    public static readonly GitOpsError SourceCommitInvalid = new("GITOPS013");
    public static readonly GitOpsError ImageTagInvalid = new("GITOPS014");
    public static readonly GitOpsError InvalidChoice = new("GITOPS016");
    public static readonly GitOpsError ManifestPatternMatchedNothing = new("GITOPS017");
    public static readonly GitOpsError PushBranchInvalid = new("GITOPS018");
    public static readonly GitOpsError SourceRepositoryUnreadable = new("GITOPS015");
    public static readonly GitOpsError AppRepositoryUnreadable = new("GITOPS019");

    // ---- Config repository (020-039) ----
    public static readonly GitOpsError ConfigAuthenticationFailed = new("GITOPS020");
    public static readonly GitOpsError ConfigServerUnreachable = new("GITOPS021");
    public static readonly GitOpsError ConfigBranchMissing = new("GITOPS022");
    public static readonly GitOpsError ConfigPushRejected = new("GITOPS023");
    public static readonly GitOpsError ConfigRepositoryNotFound = new("GITOPS024");
    public static readonly GitOpsError ConfigRepositorySchemeUnsupported = new("GITOPS025");
    public static readonly GitOpsError ConfigRepositoryEmpty = new("GITOPS026");
    public static readonly GitOpsError ConfigGitFailed = new("GITOPS027");
    public static readonly GitOpsError ConfigAccessForbidden = new("GITOPS028");
    public static readonly GitOpsError ConfigPushConflictsExhausted = new("GITOPS029");
    public static readonly GitOpsError ConfigTimedOut = new("GITOPS030");
    public static readonly GitOpsError ConfigRedirectRefused = new("GITOPS031");
    public static readonly GitOpsError ConfigUpdateCancelled = new("GITOPS032");
    public static readonly GitOpsError ControlCharacter = new("GITOPS035");
    public static readonly GitOpsError CommitIdentityInvalid = new("GITOPS036");
    public static readonly GitOpsError NumberOutOfRange = new("GITOPS037");
    public static readonly GitOpsError FailedAfterPush = new("GITOPS038");
    public static readonly GitOpsError ConfigBranchInvalid = new("GITOPS039");
    public static readonly GitOpsError ReleaseDisagrees = new("GITOPS033");
    public static readonly GitOpsError PromotionEnvironmentsMissing = new("GITOPS034");

    // ---- Manifests (040-059) ----
    public static readonly GitOpsError NoImageReference = new("GITOPS040");
    public static readonly GitOpsError ImageReferenceInvalid = new("GITOPS041");
    public static readonly GitOpsError ManifestMalformed = new("GITOPS042");
    public static readonly GitOpsError ImageValueShared = new("GITOPS043");
    public static readonly GitOpsError ImageInBlockScalar = new("GITOPS044");
    public static readonly GitOpsError ManifestEditUnverifiable = new("GITOPS045");
    public static readonly GitOpsError ImageReferenceFormatUnsatisfied = new("GITOPS046");
    public static readonly GitOpsError ImageEntryNotAddable = new("GITOPS047");
    public static readonly GitOpsError StaleDigest = new("GITOPS048");
    public static readonly GitOpsError DigestKeyMissing = new("GITOPS049");
    public static readonly GitOpsError ManifestIsSymbolicLink = new("GITOPS050");
    public static readonly GitOpsError ManifestTooLarge = new("GITOPS051");
    public static readonly GitOpsError EnvironmentUnknown = new("GITOPS052");
    public static readonly GitOpsError EnvironmentManifestPathMissing = new("GITOPS053");
    public static readonly GitOpsError DeployedImageNotFound = new("GITOPS054");
    public static readonly GitOpsError DeployedImageAmbiguous = new("GITOPS055");

    // ---- Commit signing (056-059) ----
    public static readonly GitOpsError SigningFormatUnknown = new("GITOPS056");
    public static readonly GitOpsError SigningKeyMissing = new("GITOPS057");
    public static readonly GitOpsError SigningToolMissing = new("GITOPS058");
    public static readonly GitOpsError SigningFailed = new("GITOPS059");

    // ---- Warnings (060-079) ----
    public static readonly GitOpsError NewerImageDeployed = new("GITOPS060");
    public static readonly GitOpsError DeployedTagMoved = new("GITOPS061");
    public static readonly GitOpsError OutputNotWritten = new("GITOPS062");
    public static readonly GitOpsError CredentialsInRepositoryUrl = new("GITOPS063");
    public static readonly GitOpsError ReleaseEmpty = new("GITOPS064");
    public static readonly GitOpsError ReleaseHeldBack = new("GITOPS065");
    public static readonly GitOpsError SolutionWithoutRelease = new("GITOPS074");
    public static readonly GitOpsError StatusVerdictUnknown = new("GITOPS075");
    public static readonly GitOpsError SigningKeyUnused = new("GITOPS070");
    public static readonly GitOpsError PromotionWithoutProvenance = new("GITOPS071");
    public static readonly GitOpsError EnvironmentStatusUnknown = new("GITOPS072");
    public static readonly GitOpsError StatusNotWritten = new("GITOPS073");
    public static readonly GitOpsError AutoMergeDisabled = new("GITOPS078");
    public static readonly GitOpsError PullRequestFollowUpFailed = new("GITOPS079");
    public static readonly GitOpsError RollbackWithoutWait = new("GITOPS076");

    // ---- Transports: SSH (080-089) ----
    public static readonly GitOpsError SshHostKeyUnknown = new("GITOPS080");
    public static readonly GitOpsError SshHostKeyChanged = new("GITOPS081");
    public static readonly GitOpsError SshKeyRefused = new("GITOPS082");
    public static readonly GitOpsError SshRepositoryNotFound = new("GITOPS083");
    public static readonly GitOpsError SshPushRefused = new("GITOPS084");
    public static readonly GitOpsError SshClientMissing = new("GITOPS085");
    public static readonly GitOpsError SshKeyUnusable = new("GITOPS086");
    public static readonly GitOpsError SshKnownHostsUnusable = new("GITOPS087");

    // ---- Transports: TLS and proxies (090-094) ----
    public static readonly GitOpsError CertificateUntrusted = new("GITOPS090");
    public static readonly GitOpsError CertificateNameMismatch = new("GITOPS091");
    public static readonly GitOpsError CaBundleUnreadable = new("GITOPS092");
    public static readonly GitOpsError ProxyAuthenticationFailed = new("GITOPS093");
    public static readonly GitOpsError ProxyUrlInvalid = new("GITOPS094");

    // ---- Multi-platform images (095-096) ----
    public static readonly GitOpsError ImageIndexMismatch = new("GITOPS095");

    // ---- Local files, temporary files and child processes (100-109) ----
    public static readonly GitOpsError UserFileUnusable = new("GITOPS100");
    public static readonly GitOpsError SshPathUnusable = new("GITOPS101");
    public static readonly GitOpsError TemporaryFileNotWritten = new("GITOPS102");
    public static readonly GitOpsError ApiAnswerUnusable = new("GITOPS107");

    // ---- Config repository transfers: what a pack's objects declare (103-106) ----
    public static readonly GitOpsError ConfigPackInflatesTooFar = new("GITOPS103");
    public static readonly GitOpsError ConfigTreeCorrupt = new("GITOPS104");
    // Sixth hostile probe (105-106, 108-109; warning 066).
    public static readonly GitOpsError ConfigPushReportUnreadable = new("GITOPS105");

    // ---- Tasks and releases (110-114) ----
    public static readonly GitOpsError ReleaseEntryUnreadable = new("GITOPS110");
    public static readonly GitOpsError ReleaseEntryChanged = new("GITOPS111");
    public static readonly GitOpsError PromotionSourceMoved = new("GITOPS112");
    public static readonly GitOpsError PromotionSourceMovedDuringPush = new("GITOPS113");

    // ---- Config repository transfers: bounds, credentials, the push's check (115-119) ----
    public static readonly GitOpsError ConfigRefAdvertisementTooLarge = new("GITOPS115");
    public static readonly GitOpsError GitUsernameInvalid = new("GITOPS116");
    public static readonly GitOpsError ConfigPushNotApplied = new("GITOPS117");
    public static readonly GitOpsError ConfigTransferTooLarge = new("GITOPS118");
    public static readonly GitOpsError ConfigPushOutcomeUnknown = new("GITOPS119");

    // ---- Forges and pull requests (120-134) ----
    public static readonly GitOpsError ForgeUnknown = new("GITOPS120");
    public static readonly GitOpsError ForgeApiUrlUnknown = new("GITOPS121");
    public static readonly GitOpsError ForgeApiUrlInvalid = new("GITOPS122");
    public static readonly GitOpsError ForgeRepositoryPathInvalid = new("GITOPS123");
    public static readonly GitOpsError ForgeTokenMissing = new("GITOPS124");
    public static readonly GitOpsError ForgeAuthenticationFailed = new("GITOPS125");
    public static readonly GitOpsError ForgePermissionDenied = new("GITOPS126");
    public static readonly GitOpsError ForgeNotFound = new("GITOPS127");
    public static readonly GitOpsError ForgeValidationFailed = new("GITOPS128");
    public static readonly GitOpsError ForgeRateLimited = new("GITOPS129");
    public static readonly GitOpsError ForgeRequestFailed = new("GITOPS130");
    public static readonly GitOpsError PullRequestNotOpened = new("GITOPS131");
    public static readonly GitOpsError AutoMergeUnsupported = new("GITOPS132");
    public static readonly GitOpsError GitHubAppSettingsInvalid = new("GITOPS133");
    public static readonly GitOpsError GitHubAppKeyUnusable = new("GITOPS134");

    // ---- The agent's verdict (135-149) ----
    public static readonly GitOpsError DeployNotConfirmed = new("GITOPS135");
    public static readonly GitOpsError DeployFailed = new("GITOPS136");
    public static readonly GitOpsError ArgoCdServerInvalid = new("GITOPS137");
    public static readonly GitOpsError ArgoCdSettingsMissing = new("GITOPS138");
    public static readonly GitOpsError ArgoCdApplicationInvalid = new("GITOPS139");
    public static readonly GitOpsError ArgoCdAccessDenied = new("GITOPS140");
    public static readonly GitOpsError ArgoCdRequestFailed = new("GITOPS141");
    public static readonly GitOpsError WaitSourceMissing = new("GITOPS142");
    // GITOPS143 is retired (docs/errors.md): every forge's commit statuses are read now. Never reuse it.
    public static readonly GitOpsError DeployStatusTokenMissing = new("GITOPS144");
    public static readonly GitOpsError WaitCancelled = new("GITOPS145");
    public static readonly GitOpsError WaitNeedsDirectPush = new("GITOPS146");

    // ---- What a forge's API commit proved; trees too large to read (147-149) ----
    public static readonly GitOpsError ApiCommitNotApplied = new("GITOPS147");
    public static readonly GitOpsError ApiCommitOutcomeUnknown = new("GITOPS148");
    public static readonly GitOpsError ConfigTreeTooLarge = new("GITOPS149");

    // ---- GitOpsCommitMethod=api's deploy wait: the agent's revision asked of the forge (153-154) ----
    public static readonly GitOpsError AncestryUnanswered = new("GITOPS153");

    // ---- Commits made by the forge's API, GitOpsCommitMethod=api (155-159) ----
    public static readonly GitOpsError ApiCommitSettingUnusable = new("GITOPS155");
    // GITOPS156 is retired (docs/errors.md): every forge makes commits through its API now. Never reuse it.

    // ---- Rollback (160-164) ----
    public static readonly GitOpsError RollbackBranchMoved = new("GITOPS160");
    public static readonly GitOpsError RollbackNeedsDirectPush = new("GITOPS161");
    public static readonly GitOpsError RollbackNotPossible = new("GITOPS162");
    public static readonly GitOpsError DeployRolledBack = new("GITOPS163");
    public static readonly GitOpsError RollbackNotConfirmed = new("GITOPS164");

    // ---- Waiting on the forge: the pull request's merge (165-169) ----
    public static readonly GitOpsError PullRequestClosedUnmerged = new("GITOPS165");
    public static readonly GitOpsError PullRequestNotMerged = new("GITOPS166");
}
