using AiPlatform.AppHost.DevelopmentKeys;
using AiPlatform.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Creates the development key once the Gateway (and so UsageApi before it) is ready.</summary>
internal static class DevelopmentKeyExtensions
{
    /// <summary>A first request on a busy machine runs cold code on UsageApi (JIT, EF Core's model): give it time.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(30);

    public static IResourceBuilder<DevelopmentKeyResource> AddDevelopmentKey(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> usageApi,
        IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> masterKey, string model, string dataDirectory)
    {
        var resource = new DevelopmentKeyResource(name, model, dataDirectory);

        // The Gateway waits for UsageApi, so its readiness means both answer: the key can be created and used.
        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, async (@event, ct) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var resourceLogger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            var consoleLogger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AppHostLog.Category);
            var adminApi = new Uri(usageApi.GetEndpoint("http").Url);
            var gatewayUrl = new Uri(gateway.GetEndpoint("http").Url);

            // No proxy: an http_proxy meant for the internet must not stand between the AppHost and 127.0.0.1.
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = s_requestTimeout };
            var client = new KeysAdminClient(http);
            var master = await masterKey.Resource.GetValueAsync(ct) ?? "";
            try
            {
                var key = await DevelopmentKey.ResolveAsync(
                    dataDirectory, token => client.CreateKeyAsync(adminApi, master, name, token), ct);
                await notifications.PublishUpdateAsync(resource, state => state with
                {
                    State = KnownResourceStates.Running,
                    Properties = [.. state.Properties, new ResourcePropertySnapshot("key", key.Value) { IsSensitive = true }, new("kept in", key.Path)],
                    Urls = [new UrlSnapshot("Gateway (OpenAI base URL)", new Uri(gatewayUrl, "v1").ToString(), IsInternal: false)],
                });

                var examples = QuickStart.Examples(key.Value, gatewayUrl, model);
                AppHostLog.DevelopmentKeyReady(resourceLogger, gatewayUrl, QuickStart.Title(key), examples);
                AppHostLog.DevelopmentKeyReady(consoleLogger, gatewayUrl, QuickStart.Title(key), examples);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or UnauthorizedAccessException
                || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // The platform works without the key; the next start tries again.
                await notifications.PublishUpdateAsync(resource, state => state with { State = KnownResourceStates.FailedToStart });
                AppHostLog.DevelopmentKeyFailed(resourceLogger, e.Message, new Uri(adminApi, KeysAdminClient.KeysPath));
                AppHostLog.DevelopmentKeyFailed(consoleLogger, e.Message, new Uri(adminApi, KeysAdminClient.KeysPath));
            }
        });

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = DevelopmentKeyResource.ResourceType,
                State = KnownResourceStates.Waiting,
                Properties = [new("model", model)],
            })
            .WithIconName("Key")
            .WithParentRelationship(gateway)
            .ExcludeFromManifest();
    }
}
