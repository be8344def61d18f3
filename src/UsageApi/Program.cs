using AiPlatform.ServiceDefaults.Clients;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Analytics;
using AiPlatform.UsageApi.Budgets;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Ledger;
using AiPlatform.UsageApi.Migrations;
using AiPlatform.UsageApi.Prices;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(KnownResourceNames.UsageDb);
builder.AddRedisClient(KnownResourceNames.Cache);
builder.AddUsageDbMigrations();
builder.AddAdminApi();
builder.AddKeys();
builder.AddPrices();
builder.AddLedger();
builder.AddBudgets();
builder.AddAnalytics();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapKeysEndpoints();
app.MapPricesEndpoints();
app.MapLedgerEndpoints();
app.MapBudgetsEndpoints();
app.MapAnalyticsEndpoints();

app.Run();
