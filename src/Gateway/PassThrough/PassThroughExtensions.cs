namespace AiPlatform.Gateway.PassThrough;

public static class PassThroughExtensions
{
    public const string EndpointName = "PassThrough";

    public static IHostApplicationBuilder AddPassThrough(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PassThroughOptions>().BindConfiguration(PassThroughOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PassThroughHandler>();
        builder.Services.AddSingleton<OwnedPaths>();
        return builder;
    }

    /// <summary>
    /// Every <c>/v1/</c> path and method no other endpoint takes (routing prefers the literal routes, so chat, models …
    /// keep theirs; their paths with another method stay 405, <see cref="OwnedPaths"/>); a plain 404, as before, while
    /// no model has pass-through on.
    /// </summary>
    public static IEndpointRouteBuilder MapPassThrough(this IEndpointRouteBuilder app)
    {
        app.Map("/v1/{**path}", (HttpContext context, PassThroughHandler handler) => handler.HandleAsync(context)).WithName(EndpointName);
        return app;
    }
}
