var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

// The commit this image was built from, so a request shows what is deployed.
var version = typeof(Program).Assembly
    .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
    .FirstOrDefault()?.InformationalVersion ?? "unknown";

app.MapGet("/", () => $"Hello from the GitOps.Build sample ({version})\n");
app.MapGet("/healthz", () => Results.Ok("ok"));

app.Run();
