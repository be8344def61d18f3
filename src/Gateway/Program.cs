using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Routing;
using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Errors;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient(KnownResourceNames.Cache);
builder.AddVirtualKeys();
builder.AddRateLimits();
builder.AddResponseCache();
builder.AddModelRouting();
builder.AddForwarding();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapModelsEndpoints();
app.MapInferenceEndpoints();

app.Run();
