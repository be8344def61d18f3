using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Forwarding;

public static class ForwardingExtensions
{
    public static IHostApplicationBuilder AddForwarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardingOptions>()
            .BindConfiguration(ForwardingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Kestrel's own limit sits just above ours, so that ours answers first, with OpenAI's error shape.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ForwardingOptions>>((kestrel, forwarding) =>
                kestrel.Limits.MaxRequestBodySize = forwarding.Value.MaxRequestBodyBytes + 1);

        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<UpstreamClient>();
        builder.Services.AddSingleton<UpstreamTransformer>();
        builder.Services.AddSingleton<ResponseRelay>();
        builder.Services.AddSingleton<UpstreamForwarder>();
        return builder;
    }
}
