using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Migrations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(KnownResourceNames.UsageDb);
builder.AddUsageDbMigrations();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();

app.Run();
