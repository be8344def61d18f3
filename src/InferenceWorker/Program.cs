using AiPlatform.ServiceDefaults.Errors;

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();

app.Run();
