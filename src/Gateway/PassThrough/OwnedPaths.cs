using Microsoft.AspNetCore.Routing.Template;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// The paths the Gateway's own endpoints serve (chat, completions, models, its admin API …), read once from the app's
/// endpoints. A request to one of them with another method is the 405 it always was, never passed through: OpenAI's
/// <c>GET /v1/chat/completions</c> (stored completions) would otherwise reach the provider's account with its shared key.
/// </summary>
public sealed class OwnedPaths(EndpointDataSource endpoints)
{
    private readonly Lazy<TemplateMatcher[]> _matchers = new(() =>
    [
        .. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName != PassThroughExtensions.EndpointName)
            .Select(e => new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary())),
    ]);

    public bool Contains(PathString path) =>
        path.StartsWithSegments("/v1/admin") || Array.Exists(_matchers.Value, m => m.TryMatch(path, new RouteValueDictionary()));
}
