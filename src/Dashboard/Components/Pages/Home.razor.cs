using AiPlatform.Dashboard.Health;
using Microsoft.AspNetCore.Components;

namespace AiPlatform.Dashboard.Components.Pages;

public sealed partial class Home
{
    private IReadOnlyList<EndpointHealth>? _endpoints;

    [Inject]
    public required PlatformHealth PlatformHealth { get; init; }

    protected override async Task OnInitializedAsync() =>
        _endpoints = await PlatformHealth.CheckAllAsync(CancellationToken.None);

    private static string StatusClass(string status) => status == "Healthy" ? "healthy" : "unhealthy";
}
