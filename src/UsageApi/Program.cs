using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Migrations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(KnownResourceNames.UsageDb);
builder.AddRedisClient(KnownResourceNames.Cache);
builder.AddUsageDbMigrations();
builder.AddAdminApi();
builder.AddKeys();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapKeysEndpoints();

app.Run();
