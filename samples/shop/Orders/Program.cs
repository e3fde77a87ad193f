var app = WebApplication.Create(args);
app.MapGet("/", () => "orders");
app.MapGet("/healthz", () => "ok");
app.Run();
