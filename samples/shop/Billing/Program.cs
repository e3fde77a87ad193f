var app = WebApplication.Create(args);
app.MapGet("/", () => "billing");
app.MapGet("/healthz", () => "ok");
app.Run();
