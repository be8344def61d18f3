using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Announcement;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines;
using AiPlatform.InferenceWorker.Metrics;
using AiPlatform.ServiceDefaults.Errors;

var builder = WebApplication.CreateBuilder(args);

builder.AddBasicServiceDefaults();
builder.AddWorkerMetrics();
builder.AddInferenceEngines();
builder.AddAdmissionControl();
builder.AddWorkerAnnouncement();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapInferenceApi();
app.MapPrometheusMetrics();

app.Run();
