namespace GitOps.Build.Tests.Docs;

/// <summary>
/// The layout README.md draws for src/Tasks holds in the code: every folder (a subfolder is a folder of its own) depends
/// only on the folders listed for it, the folders form no cycle, only the two repository folders use LibGit2Sharp and
/// only Tasks uses MSBuild. Uses are found by the compiler (<see cref="SourceDependencies"/>), so a qualified name, a
/// parent namespace or a global using cannot hide one; each of those holes has a test below that plants it.
/// </summary>
[TestClass]
public sealed class FolderDependencyTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        // The MSBuild tasks parse their inputs into the types of the folders that own them (AppRepo, ConfigRepo,
        // Manifests, Ci, Signing) and call Deploy. Not the transports: ConfigRepo builds them from its own options.
        // Tasks compose the transports (ConfigWriterOptions.Transports) from the environment they read.
        ["Tasks"] = ["Deploy", "Forge", "Forge/GitHub", "Forge/GitLab", "Forge/AzureDevOps", "Forge/Gitea", "Forge/Bitbucket", "AppRepo", "ConfigRepo", "ConfigRepo/Http", "ConfigRepo/Ssh", "Signing", "Manifests", "Ci", "Verdict", "Verdict/ArgoCd", "Diagnostics"],
        // The wait for the agent's verdict is a step of the deploy: Deploy builds its sources and writes its outputs.
        ["Deploy"] = ["Forge", "AppRepo", "ConfigRepo", "ConfigRepo/Http", "Manifests", "Ci", "Verdict", "Verdict/ArgoCd", "Diagnostics"],
        // Pull requests: the API over the git transport's HTTP stack (its proxy and CA trust: GitHttpTransport.NewHandler).
        ["Forge"] = ["ConfigRepo", "ConfigRepo/Http", "Ci", "Diagnostics"],
        // Each forge's client implements Forge's IForgeClient on its ForgeHttp; Tasks composes them (ForgeClients, ForgeAccess).
        ["Forge/GitHub"] = ["Forge", "ConfigRepo", "ConfigRepo/Http", "Diagnostics"],
        ["Forge/GitLab"] = ["Forge", "ConfigRepo", "Diagnostics"],
        ["Forge/AzureDevOps"] = ["Forge", "ConfigRepo", "Diagnostics"],
        ["Forge/Gitea"] = ["Forge", "ConfigRepo", "Diagnostics"],
        ["Forge/Bitbucket"] = ["Forge", "ConfigRepo", "Diagnostics"],
        ["AppRepo"] = ["Diagnostics"],
        // The write-back knows the transports only through its IRemoteTransport, which they implement.
        // The treeless clone speaks git's wire protocol (ConfigRepo/Wire: pkt-lines, packs, protocol v2, receive-pack) itself.
        ["ConfigRepo"] = ["ConfigRepo/Wire", "Diagnostics"],
        ["ConfigRepo/Wire"] = [],
        ["ConfigRepo/Http"] = ["ConfigRepo", "ConfigRepo/Wire", "Diagnostics"],
        ["ConfigRepo/Ssh"] = ["ConfigRepo", "ConfigRepo/Wire", "Diagnostics"],
        // Implements ConfigRepo's ICommitSigner with ssh-keygen and gpg.
        ["Signing"] = ["ConfigRepo", "Diagnostics"],
        ["Manifests"] = ["Diagnostics"],
        ["Ci"] = ["Diagnostics"],
        // Waits for the agent's verdict: Argo CD's API, or commit statuses read through the forge.
        ["Verdict"] = ["Forge", "ConfigRepo", "ConfigRepo/Http", "Diagnostics"],
        // Argo CD's API: a source of verdicts that Verdict knows through IVerdictSource.
        ["Verdict/ArgoCd"] = ["Verdict", "ConfigRepo", "ConfigRepo/Http", "Diagnostics"],
        ["Diagnostics"] = [],
    };

    private static readonly string[] LibGit2SharpFolders = ["AppRepo", "ConfigRepo", "ConfigRepo/Http", "ConfigRepo/Ssh"];

    private static readonly Lazy<IReadOnlyList<SourceFile>> RealSources = new(SourceDependencies.ReadSources);

    private static readonly Lazy<(IReadOnlyList<FolderUse> Uses, IReadOnlyList<string> Errors)> Real =
        new(() => SourceDependencies.Analyse(RealSources.Value, SourceDependencies.ReadProject()));

    [TestMethod]
    public void The_compiler_resolves_every_name_so_no_use_is_missed()
    {
        Assert.AreEqual(0, Real.Value.Errors.Count, string.Join("\n", Real.Value.Errors.Take(20)));
        Assert.IsTrue(Real.Value.Uses.Count > 1000, $"only {Real.Value.Uses.Count} uses found");
        // What the checks below look for is seen where it is: they would pass on nothing otherwise.
        Assert.IsTrue(Real.Value.Uses.Any(use => use.Folder == "ConfigRepo" && use.Used == "LibGit2Sharp"), "LibGit2Sharp in ConfigRepo");
        Assert.IsTrue(Real.Value.Uses.Any(use => use.Folder == "Tasks" && use.Used == "Microsoft.Build.Framework"), "MSBuild in Tasks");
        Assert.IsTrue(Real.Value.Uses.Any(use => use.Folder == "Deploy" && use.Used == "ConfigRepo"), "ConfigRepo in Deploy");
    }

    [TestMethod]
    public void Every_file_declares_the_namespace_of_its_folder()
    {
        var wrong = RealSources.Value
            .Where(file => !file.Text.Contains($"namespace {SourceDependencies.NamespaceOf(file.Folder)};\n", StringComparison.Ordinal)
                && !file.Text.Contains($"namespace {SourceDependencies.NamespaceOf(file.Folder)};\r\n", StringComparison.Ordinal))
            .Select(file => file.Path).ToList();

        Assert.AreEqual(0, wrong.Count, "a file's namespace is how its uses are traced to its folder: " + string.Join(", ", wrong));
    }

    [TestMethod]
    public void Every_folder_has_its_list()
    {
        var folders = RealSources.Value.Select(file => file.Folder).Where(folder => folder.Length > 0).Distinct().ToList();

        CollectionAssert.AreEquivalent(folders, Allowed.Keys.ToList());
    }

    [TestMethod]
    public void Folders_depend_only_on_the_folders_listed_for_them() =>
        AssertNone(Violations(Real.Value.Uses));

    [TestMethod]
    public void Folders_form_no_cycle() =>
        AssertNone(Cycles(Real.Value.Uses));

    [TestMethod]
    public void The_lists_form_no_cycle() =>
        AssertNone(Cycles(Allowed.SelectMany(entry => entry.Value.Select(to => new FolderUse("", entry.Key, to, "", InProduct: true)))));

    [TestMethod]
    public void No_global_using_names_a_namespace_of_this_product() =>
        AssertNone(SourceDependencies.ProductGlobalUsings(RealSources.Value, SourceDependencies.ReadProject()).ToList());

    [TestMethod]
    public void Only_the_repository_folders_use_LibGit2Sharp() =>
        AssertNone(Real.Value.Uses.Where(use => (use.Used == "LibGit2Sharp" || use.Used.StartsWith("LibGit2Sharp.", StringComparison.Ordinal)) && !LibGit2SharpFolders.Contains(use.Folder))
            .Select(use => use.ToString()).Distinct().ToList());

    [TestMethod]
    public void Only_the_tasks_use_MSBuild() =>
        AssertNone(Real.Value.Uses.Where(use => use.Used.StartsWith("Microsoft.Build", StringComparison.Ordinal) && use.Folder != "Tasks")
            .Select(use => use.ToString()).Distinct().ToList());

    // Each hole of the text-matching check it replaces (issue 16), planted into a copy of the sources.

    [TestMethod]
    public void Planted_Deploy_using_a_transport_directly_is_caught() =>
        // Only Tasks, which composes the transports, may name them; the deploy reaches them through ConfigRepo.
        AssertCaught(Plant(("Deploy/Planted.cs", """
            using GitOps.Build.ConfigRepo.Ssh;

            namespace GitOps.Build.Deploy;

            internal static class Planted
            {
                public static object Settings() => new SshSettings();
            }
            """)), "Deploy/Planted.cs (Deploy) uses ConfigRepo/Ssh");

    [TestMethod]
    public void Planted_ConfigRepo_using_a_transport_is_caught() =>
        // The write-back knows the transports only through IRemoteTransport: a use back would be a cycle.
        AssertCaught(Plant(("ConfigRepo/Planted.cs", """
            namespace GitOps.Build.ConfigRepo;

            internal static class Planted
            {
                public static object Settings() => new GitOps.Build.ConfigRepo.Ssh.SshSettings();
            }
            """)), "ConfigRepo/Planted.cs (ConfigRepo) uses ConfigRepo/Ssh");

    [TestMethod]
    public void Planted_cycle_between_two_subfolders_of_one_folder_is_caught()
    {
        var uses = Plant(
            ("ConfigRepo/Http/Planted.cs", """
                using GitOps.Build.ConfigRepo.Ssh;

                namespace GitOps.Build.ConfigRepo.Http;

                internal static class PlantedHttp
                {
                    public static object Settings() => new SshSettings();
                }
                """),
            ("ConfigRepo/Ssh/Planted.cs", """
                namespace GitOps.Build.ConfigRepo.Ssh;

                internal static class PlantedSsh
                {
                    public static object Settings() => GitOps.Build.ConfigRepo.Http.HttpTransportSettings.Direct;
                }
                """));

        AssertCaught(uses, "ConfigRepo/Http/Planted.cs (ConfigRepo/Http) uses ConfigRepo/Ssh");
        StringAssert.Contains(string.Join("\n", Cycles(uses)), "ConfigRepo/Http -> ConfigRepo/Ssh -> ConfigRepo/Http");
    }

    [TestMethod]
    public void Planted_use_of_the_parent_folder_without_any_using_is_caught() =>
        // Inside GitOps.Build.Manifests.Planted every type of GitOps.Build.Manifests is in scope: no using, no text to
        // match.
        AssertCaught(Plant(("Manifests/Planted/Planted.cs", """
            namespace GitOps.Build.Manifests.Planted;

            internal static class Planted
            {
                public static Type Image() => typeof(ImageReference);
            }
            """)), "Manifests/Planted/Planted.cs (Manifests/Planted) uses Manifests (ImageReference)");

    [TestMethod]
    public void Planted_fully_and_partly_qualified_names_are_caught()
    {
        var uses = Plant(("Diagnostics/Planted.cs", """
            namespace GitOps.Build.Diagnostics;

            internal static class Planted
            {
                public static Type Full() => typeof(global::GitOps.Build.Manifests.ImageReference);

                // GitOps.Build is a parent namespace: "Deploy." reaches GitOps.Build.Deploy.
                public static Type Partial() => typeof(Deploy.ConfigDeployer);
            }
            """));

        AssertCaught(uses, "Diagnostics/Planted.cs (Diagnostics) uses Manifests (ImageReference)");
        AssertCaught(uses, "Diagnostics/Planted.cs (Diagnostics) uses Deploy (ConfigDeployer)");
    }

    [TestMethod]
    public void Planted_global_using_in_a_file_is_caught_where_it_is_used()
    {
        // Deploy may use Manifests, but its global using makes Manifests visible in Diagnostics too.
        var (sources, project) = (Plant(RealSources.Value,
            ("Deploy/Usings.cs", "global using GitOps.Build.Manifests;\n"),
            ("Diagnostics/Planted.cs", """
                namespace GitOps.Build.Diagnostics;

                internal static class Planted
                {
                    public static Type Image() => typeof(ImageReference);
                }
                """)), SourceDependencies.ReadProject());

        AssertCaught(Analyse(sources, project), "Diagnostics/Planted.cs (Diagnostics) uses Manifests (ImageReference)");
        CollectionAssert.Contains(SourceDependencies.ProductGlobalUsings(sources, project).ToList(), "Deploy/Usings.cs: global using GitOps.Build.Manifests;");
    }

    [TestMethod]
    public void Planted_Using_item_in_the_project_is_caught()
    {
        var project = SourceDependencies.ReadProject().Replace("</Project>",
            "  <ItemGroup>\n    <Using Include=\"GitOps.Build.Deploy\" />\n  </ItemGroup>\n</Project>", StringComparison.Ordinal);
        var sources = Plant(RealSources.Value, ("Ci/Planted.cs", """
            namespace GitOps.Build.Ci;

            internal static class Planted
            {
                public static Type Deployer() => typeof(ConfigDeployer);
            }
            """));

        AssertCaught(Analyse(sources, project), "Ci/Planted.cs (Ci) uses Deploy (ConfigDeployer)");
        CollectionAssert.Contains(SourceDependencies.ProductGlobalUsings(sources, project).ToList(),
            "GitOps.Build.Tasks.csproj: global using global::GitOps.Build.Deploy;");
    }

    private static IReadOnlyList<FolderUse> Plant(params (string Path, string Text)[] files) =>
        Analyse(Plant(RealSources.Value, files), SourceDependencies.ReadProject());

    private static IReadOnlyList<SourceFile> Plant(IEnumerable<SourceFile> sources, params (string Path, string Text)[] files) =>
        sources.Concat(files.Select(file => new SourceFile(file.Path, file.Text))).ToList();

    // The planted files are compiled with all the real ones; only theirs are walked, the real uses come from the full run.
    private static IReadOnlyList<FolderUse> Analyse(IReadOnlyList<SourceFile> sources, string project)
    {
        var real = RealSources.Value.Select(file => file.Path).ToHashSet();
        var (uses, errors) = SourceDependencies.Analyse(sources, project, file => !real.Contains(file.Path));
        Assert.AreEqual(0, errors.Count, "the planted sources must compile: " + string.Join("\n", errors.Take(10)));
        return Real.Value.Uses.Concat(uses.Where(use => !real.Contains(use.File))).ToList();
    }

    private static void AssertCaught(IReadOnlyList<FolderUse> uses, string violation) =>
        Assert.IsTrue(Violations(uses).Any(found => found.StartsWith(violation, StringComparison.Ordinal)),
            $"not caught: {violation}\nfound:\n" + string.Join("\n", Violations(uses)));

    private static List<string> Violations(IEnumerable<FolderUse> uses) =>
        uses.Where(use => use.InProduct)
            .Where(use => use.Used != use.Folder && use.Folder != SourceDependencies.ProjectUsingsFile)
            .Where(use => !(Allowed.TryGetValue(use.Folder, out var allowed) && allowed.Contains(use.Used)))
            .Select(use => use.ToString())
            .Distinct()
            .ToList();

    // Every cycle of the folder graph, as "A -> B -> A", the known edges left out.
    private static List<string> Cycles(IEnumerable<FolderUse> uses)
    {
        var edges = uses.Where(use => use.InProduct && use.Folder != use.Used)
            .Select(use => (use.Folder, use.Used))
            .Distinct()
            .GroupBy(edge => edge.Folder)
            .ToDictionary(group => group.Key, group => group.Select(edge => edge.Used).Order(StringComparer.Ordinal).ToList());
        var cycles = new List<string>();
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
            Walk(start, [start]);
        return cycles.Distinct().ToList();

        void Walk(string folder, List<string> path)
        {
            foreach (var next in edges.GetValueOrDefault(folder, []))
            {
                if (next == path[0])
                    cycles.Add(string.Join(" -> ", path.Append(next)));
                // Each cycle once, from its smallest folder.
                else if (!path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
                    Walk(next, [.. path, next]);
            }
        }
    }

    private static void AssertNone(IReadOnlyCollection<string> found) =>
        Assert.AreEqual(0, found.Count, string.Join("\n", found));
}
