using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GitOps.Build.Tests.Docs;

/// <summary>A source file of src/Tasks: its path relative to src/Tasks ("ConfigRepo/Http/GitHttpStream.cs") and its text.</summary>
internal sealed record SourceFile(string Path, string Text)
{
    /// <summary>The folder it sits in, a node of its own: "ConfigRepo/Http" is not "ConfigRepo".</summary>
    public string Folder => Path.Contains('/') ? Path[..Path.LastIndexOf('/')] : "";
}

/// <summary>
/// A file of <see cref="Folder"/> names something declared in <see cref="Used"/>: a folder of src/Tasks
/// (<see cref="InProduct"/>), or an outside namespace ("LibGit2Sharp", "System.Text").
/// </summary>
internal sealed record FolderUse(string File, string Folder, string Used, string Name, bool InProduct)
{
    public override string ToString() => $"{File} ({Folder}) uses {Used} ({Name})";
}

/// <summary>
/// Which folders of src/Tasks each file depends on, found by compiling the sources with Roslyn and resolving every name
/// to the namespace that declares it: a using, a fully or partly qualified name (<c>Deploy.ConfigDeployer</c> from inside
/// <c>GitOps.Build.Diagnostics</c>), a name a parent namespace makes visible without any using, a global using in a file
/// or a &lt;Using&gt; item in the project, a member called on a value whose type is never named. Text matching sees only
/// the first of these. Namespaces are folders: <c>GitOps.Build.ConfigRepo.Http</c> is the folder <c>ConfigRepo/Http</c>.
/// </summary>
internal static class SourceDependencies
{
    private const string Root = "GitOps.Build";

    /// <summary>The tree the global usings of the project are compiled as: uses found there belong to no folder.</summary>
    public const string ProjectUsingsFile = "GitOps.Build.Tasks.csproj";

    public static readonly string Sources = Path.Combine(SdkTargetsProperties.RepositoryRoot, "src", "Tasks");

    // What ImplicitUsings=enable (Directory.Build.props) adds for Microsoft.NET.Sdk.
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    public static IReadOnlyList<SourceFile> ReadSources() =>
        Directory.EnumerateFiles(Sources, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Sources, file).Replace('\\', '/'))
            .Where(path => !path.StartsWith("obj/", StringComparison.Ordinal) && !path.StartsWith("bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(path, File.ReadAllText(Path.Combine(Sources, path))))
            .ToList();

    public static string ReadProject() => File.ReadAllText(Path.Combine(Sources, ProjectUsingsFile));

    /// <summary>The project's &lt;Using&gt; items as global using directives (Alias and Static metadata as MSBuild writes them).</summary>
    public static IReadOnlyList<string> ProjectUsings(string project) =>
        XDocument.Parse(project).Descendants().Where(element => element.Name.LocalName == "Using")
            .Where(element => element.Attribute("Include") is not null)
            .Select(element => (Name: element.Attribute("Include")!.Value, Alias: element.Attribute("Alias")?.Value,
                Static: string.Equals(element.Attribute("Static")?.Value, "true", StringComparison.OrdinalIgnoreCase)))
            .Select(item => item.Alias is not null ? $"global using {item.Alias} = global::{item.Name};"
                : item.Static ? $"global using static global::{item.Name};" : $"global using global::{item.Name};")
            .ToList();

    /// <summary>The namespace a file must declare: its folder's.</summary>
    public static string NamespaceOf(string folder) => folder.Length == 0 ? Root : Root + "." + folder.Replace('/', '.');

    /// <summary>
    /// Compiles <paramref name="sources"/> with the project's usings and returns every use of a namespace of this
    /// product (as a folder) or of an outside one (as the namespace, "LibGit2Sharp"), of the files <paramref name="walk"/>
    /// selects (all by default), and the compiler's errors: a name that does not resolve is a use the check cannot see.
    /// </summary>
    public static (IReadOnlyList<FolderUse> Uses, IReadOnlyList<string> Errors) Analyse(
        IEnumerable<SourceFile> sources, string project, Func<SourceFile, bool>? walk = null)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Parse);
        var files = sources.ToList();
        var usings = string.Join("\n", ImplicitUsings.Select(name => $"global using global::{name};").Concat(ProjectUsings(project)));
        var trees = files.Select(file => (File: file, Tree: CSharpSyntaxTree.ParseText(file.Text, parse, file.Path)))
            .Append((File: new SourceFile(ProjectUsingsFile, usings), Tree: CSharpSyntaxTree.ParseText(usings, parse, ProjectUsingsFile)))
            .ToList();
        var compilation = NoSources.Value.AddSyntaxTrees(trees.Select(entry => entry.Tree));

        var uses = new List<FolderUse>();
        var errors = new List<string>();
        foreach (var (file, tree) in trees.Where(entry => entry.File.Path == ProjectUsingsFile || walk is null || walk(entry.File)))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>())
            {
                if (name.Ancestors().Any(node => node is BaseNamespaceDeclarationSyntax declaration && declaration.Name.Span.Contains(name.Span)))
                    continue;
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetAliasInfo(name)?.Target;
                if (symbol is IAliasSymbol alias)
                    symbol = alias.Target;
                // GitOps.Build.ConfigRepo.Http: only the last segment says which folder; "ConfigRepo" before it is no use of ConfigRepo.
                if (symbol is INamespaceSymbol && !IsRightmost(name))
                    continue;
                if (Owner(symbol) is { } owner)
                    uses.Add(new FolderUse(file.Path, file.Path == ProjectUsingsFile ? ProjectUsingsFile : file.Folder, owner.Name, name.ToString(), owner.InProduct));
            }
            // CS8795: [GeneratedRegex] methods, whose other half the regex source generator (not run here) writes.
            errors.AddRange(model.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error && diagnostic.Id != "CS8795")
                .Select(diagnostic => diagnostic.ToString()));
        }
        return (uses, errors);
    }

    /// <summary>The global using directives of the files and of the project that name a namespace of this product.</summary>
    public static IEnumerable<string> ProductGlobalUsings(IEnumerable<SourceFile> sources, string project) =>
        sources.Select(file => (file.Path, Text: file.Text))
            .Append((Path: ProjectUsingsFile, Text: string.Join("\n", ProjectUsings(project))))
            .SelectMany(file => CSharpSyntaxTree.ParseText(file.Text).GetCompilationUnitRoot().Usings
                .Where(directive => !directive.GlobalKeyword.IsKind(SyntaxKind.None))
                .Where(directive => directive.NamespaceOrType.ToString().Replace("global::", "", StringComparison.Ordinal)
                    .StartsWith(Root + ".", StringComparison.Ordinal))
                .Select(directive => $"{file.Path}: {directive}"));

    private static bool IsRightmost(SimpleNameSyntax name) => name.Parent switch
    {
        QualifiedNameSyntax qualified => qualified.Right == name,
        MemberAccessExpressionSyntax access => access.Name == name,
        AliasQualifiedNameSyntax => false,
        _ => true,
    };

    // The folder (or outside namespace) that declares what a name stands for; null for locals, the global namespace, GitOps.Build itself.
    private static (string Name, bool InProduct)? Owner(ISymbol? symbol)
    {
        var ns = symbol switch
        {
            null => null,
            INamespaceSymbol namespaceSymbol => namespaceSymbol,
            ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol => null,
            ITypeParameterSymbol => null,
            _ => symbol.OriginalDefinition.ContainingNamespace,
        };
        if (ns is null || ns.IsGlobalNamespace)
            return null;
        var full = ns.ToDisplayString();
        if (full == Root || full == "GitOps")
            return null;
        return full.StartsWith(Root + ".", StringComparison.Ordinal) ? (full[(Root.Length + 1)..].Replace('.', '/'), true) : (full, false);
    }

    // The runtime's assemblies and this test's (LibGit2Sharp, YamlDotNet, MSBuild's): what the project compiles against,
    // in newer versions. Not the product's own assembly: its source is what is compiled.
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => !Path.GetFileName(path).StartsWith("GitOps.Build.", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList());

    // Every analysis starts from this one, so that the references are bound once, not once per analysis.
    private static readonly Lazy<CSharpCompilation> NoSources = new(() => CSharpCompilation.Create("GitOps.Build.Tasks", [], References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)));
}
