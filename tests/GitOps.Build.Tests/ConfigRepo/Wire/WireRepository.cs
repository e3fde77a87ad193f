using System.Text;

namespace GitOps.Build.Tests.ConfigRepo.Wire;

/// <summary>
/// A throwaway bare repository for the wire-protocol tests, with real git on the other side: upload-pack and
/// receive-pack in --stateless-rpc mode (what git-http-backend runs for each smart-HTTP request), index-pack and fsck.
/// </summary>
internal sealed class WireRepository : IDisposable
{
    private WireRepository(string path) => Path = path;

    public string Path { get; }

    /// <summary>A bare repository with the commits <paramref name="commits"/> makes in a work tree (one call, one commit each).</summary>
    public static WireRepository Create(params Action<string>[] commits)
    {
        var root = Directory.CreateTempSubdirectory("gitops-wire-").FullName;
        var work = System.IO.Path.Combine(root, "work");
        var bare = System.IO.Path.Combine(root, "bare.git");
        GitCli.Run(root, "init", "--quiet", "--initial-branch=main", work);
        for (var i = 0; i < commits.Length; i++)
        {
            commits[i](work);
            GitCli.Run(work, "add", "--all");
            GitCli.Run(work, "commit", "--quiet", "--allow-empty", "-m", $"commit {i + 1}");
        }
        GitCli.Run(root, "clone", "--quiet", "--bare", work, bare);
        GitCli.Run(bare, "config", "uploadpack.allowFilter", "true");
        return new WireRepository(bare);
    }

    public string Git(params string[] arguments) => GitCli.Run(Path, arguments);

    /// <summary>upload-pack's answer to a protocol v2 request, as git-http-backend would send it.</summary>
    public byte[] UploadPack(byte[] request) =>
        GitCli.RunBytes(Path, request, new Dictionary<string, string> { ["GIT_PROTOCOL"] = "version=2" }, "upload-pack", "--stateless-rpc", ".");

    /// <summary>upload-pack's protocol v2 capability advertisement (what GET info/refs answers after "# service=…").</summary>
    public byte[] Advertisement() =>
        GitCli.RunBytes(Path, null, new Dictionary<string, string> { ["GIT_PROTOCOL"] = "version=2" }, "upload-pack", "--advertise-refs", "--stateless-rpc", ".");

    public byte[] ReceivePack(byte[] request) => GitCli.RunBytes(Path, request, null, "receive-pack", "--stateless-rpc", ".");

    public static void Write(string work, string path, string content)
    {
        var file = System.IO.Path.Combine(work, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content, Encoding.UTF8);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
