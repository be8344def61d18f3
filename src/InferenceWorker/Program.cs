using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Announcement;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddWorkerMetrics();
builder.AddInferenceEngines();
builder.AddAdmissionControl();
builder.AddWorkerAnnouncement();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
// /metrics is vLLM's figures (what the Gateway's router reads); the OpenTelemetry ones are beside it.
app.MapOpenPrometheusMetrics("/metrics/otel");
app.MapInferenceApi();
app.MapPrometheusMetrics();

app.Run();
