using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.ServiceDefaults.Tests;

/// <summary>A minimal web application on the in-memory test server, with the service defaults applied.</summary>
internal static class TestApp
{
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(
        Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.GetTestClient());
    }
}
