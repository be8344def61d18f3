using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Telemetry;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.AdminTokens;
using AiPlatform.UsageApi.Analytics;
using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Budgets;
using AiPlatform.UsageApi.Data;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Ledger;
using AiPlatform.UsageApi.Prices;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddUsageDb();
builder.AddPlatformRedisClient();
builder.AddAdminApi();
builder.AddAdminTokens();
builder.AddKeys();
builder.AddPrices();
builder.AddLedger();
builder.AddBudgets();
builder.AddAnalytics();

var app = builder.Build();

app.UseApiErrors();
app.MapDefaultEndpoints();
app.MapAdminPrometheusMetrics();
app.MapKeysEndpoints();
app.MapPricesEndpoints();
app.MapLedgerEndpoints();
app.MapBudgetsEndpoints();
app.MapAnalyticsEndpoints();
app.MapAdminTokensEndpoints();
app.MapAuditEndpoints();

app.Run();
