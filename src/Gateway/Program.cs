using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Errors;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient(KnownResourceNames.Cache);

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();

app.Run();
