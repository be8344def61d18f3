using System.Net;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.ServiceDefaults.Tests;

/// <summary>What <c>AddServiceDefaults</c> puts on every typed client: service discovery, then standard resilience.</summary>
public sealed class HttpClientDefaultsTests
{
    [Fact]
    public async Task TypedClient_LogicalAddress_ResolvesToConfiguredEndpoint()
    {
        await using var backend = await Backend.StartAsync(_ => HttpStatusCode.OK);
        using var host = BuildHost(("services:usageapi:http:0", backend.Url));

        var answer = await host.Services.GetRequiredService<UsageApiProbe>().Http.GetStringAsync(new Uri("/ping", UriKind.Relative));

        Assert.Equal("pong", answer);
    }

    [Fact]
    public async Task TypedClient_BackendAnswers503ThenOk_RetriedToOk()
    {
        await using var backend = await Backend.StartAsync(attempt => attempt == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        using var host = BuildHost(("services:usageapi:http:0", backend.Url));

        using var response = await host.Services.GetRequiredService<UsageApiProbe>().Http.GetAsync(new Uri("/ping", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, backend.Requests);
    }

    private static IHost BuildHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddServiceDefaults();
        builder.Services.AddHttpClient<UsageApiProbe>(http => http.BaseAddress = new Uri(ServiceAddresses.UsageApi));
        return builder.Build();
    }

    private sealed class UsageApiProbe(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    /// <summary>A real server on 127.0.0.1 whose <c>/ping</c> answers with the status chosen per attempt (1, 2, …).</summary>
    private sealed class Backend : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private Backend(WebApplication app) => _app = app;

        public string Url => _app.Urls.Single();

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<Backend> StartAsync(Func<int, HttpStatusCode> statusForAttempt)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var backend = new Backend(app);
            app.MapGet("/ping", () =>
            {
                var status = (int)statusForAttempt(Interlocked.Increment(ref backend._requests));
                return Results.Text("pong", statusCode: status);
            });
            await app.StartAsync();
            return backend;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
