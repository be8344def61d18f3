using System.Net.Http.Headers;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Authenticates calls to UsageApi's admin API with the platform's master key (<c>AIPLATFORM_MASTER_KEY</c>),
/// so that clients of that API never handle the key themselves.
/// </summary>
public sealed class MasterKeyHandler(IConfiguration configuration) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue? _authorization =
        configuration[KnownConfigNames.MasterKey] is { Length: > 0 } key ? new AuthenticationHeaderValue("Bearer", key) : null;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= _authorization;
        return base.SendAsync(request, cancellationToken);
    }
}

public static class MasterKeyHandlerExtensions
{
    public static IHttpClientBuilder AddMasterKeyAuthorization(this IHttpClientBuilder builder)
    {
        builder.Services.AddTransient<MasterKeyHandler>();
        return builder.AddHttpMessageHandler<MasterKeyHandler>();
    }
}
