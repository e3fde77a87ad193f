// YamlEditBench RUNS SIZE_MB...: times ManifestEditor.Edit on a generated multi-document Kubernetes file of each size
// (two warm-up edits, then RUNS timed edits) and prints one TSV row per timed edit for build/bench/report.py.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Build.Manifests;

var runs = int.Parse(args[0], CultureInfo.InvariantCulture);
var sizes = args.Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

foreach (var megabytes in sizes)
{
    var (content, target) = Generate((int)(megabytes * 1024 * 1024));
    var image = ImageReference.Parse($"127.0.0.1:5000/team/{target}:bench01");
    var label = $"{megabytes.ToString(CultureInfo.InvariantCulture)} MB";
    for (var run = -2; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        var result = ManifestEditor.Edit("apps/all.yaml", content, image);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (result.Replacements.Count != 1 || result.Content.Length != content.Length)
            throw new InvalidOperationException($"unexpected edit: {result.Replacements.Count} replacements");
        if (run < 0) continue;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"YAML edit\tManifestEditor.Edit\t{label}\t\t{ms:0.0}\tms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"YAML edit, time per MB (linearity)\tper MB\t{label}\t1 MB\t{ms / megabytes:0.0}\tms"));
    }
}

// Deployments (with a Service after every one) until the size is reached; the target app sits in the middle.
static (byte[] Content, string Target) Generate(int bytes)
{
    var text = new StringBuilder(bytes + 4096);
    var documents = new List<int>();
    for (var i = 0; text.Length < bytes; i++)
    {
        documents.Add(text.Length);
        text.Append(CultureInfo.InvariantCulture, $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app-{{i:00000}}
              labels: { app: app-{{i:00000}}, team: bench }
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: app-{{i:00000}}
              template:
                metadata:
                  labels:
                    app: app-{{i:00000}}
                spec:
                  containers:
                    - name: web
                      image: 127.0.0.1:5000/team/app-{{i:00000}}:initial
                      ports:
                        - containerPort: 8080
                      env:
                        - name: GREETING
                          value: "hello from app {{i}}" # a comment
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app-{{i:00000}}
            spec:
              selector: { app: app-{{i:00000}} }
              ports:
                - port: 80
                  targetPort: 8080
            ---

            """);
    }
    return (Encoding.UTF8.GetBytes(text.ToString()), $"app-{documents.Count / 2:00000}");
}
