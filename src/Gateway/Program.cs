using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Budgets;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.PassThrough;
using AiPlatform.Gateway.Pipeline;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Responses;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Telemetry;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformRedisClient();
builder.AddVirtualKeys();
builder.AddBudgets();
builder.AddRateLimits();
builder.AddInferenceRequests();
builder.AddResponseCache();
builder.AddModelRouting();
builder.AddForwarding();
builder.AddResilience();
builder.AddUsageEvents();
builder.AddGenAiTelemetry();
builder.AddPassThrough();

// The policies an inference request passes, in order; the Resilience forwarder ends the pipeline.
builder.AddInferencePipeline(pipeline => pipeline
    .Use<AuthenticationPolicy>()
    .Use<BudgetPolicy>()
    .Use<RequestPolicy>()
    .Use<ResponsesPolicy>()
    .Use<RateLimitPolicy>()
    .Use<UsagePolicy>()
    .Use<TelemetryPolicy>()
    .Use<CachePolicy>());

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapAdminPrometheusMetrics();
app.MapModelsEndpoints();
app.MapBackendsEndpoints();
app.MapInferenceEndpoints();
app.MapPassThrough();

app.Run();
