using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Backends;
using AiPlatform.Dashboard.Components.Layout;
using AiPlatform.Dashboard.Display;
using AiPlatform.Dashboard.Health;
using AiPlatform.Dashboard.SignIn;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.Testing;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace AiPlatform.Dashboard.Tests.Components;

/// <summary>
/// A page of the Dashboard as one person's circuit runs it, in bUnit: MudBlazor with its providers (as the layout has
/// them), a signed-in person whose cookie carries the admin credential and who it is (the master key unless a test
/// signs in with an admin token's scopes), a browser in <see cref="ZoneId"/>, and the
/// admin APIs' and health probes' HttpClients sending to <see cref="Services"/>. Time stands still at
/// <see cref="Now"/> unless a test moves <see cref="Clock"/>.
/// </summary>
public sealed class DashboardCircuit : IAsyncDisposable
{
    public const string Credential = "aig-master-0123456789abcdef";
    public const string ZoneId = "Europe/Paris";

    public static readonly Uri UsageApi = new("http://usageapi.test/");
    public static readonly Uri Gateway = new("http://gateway.test/");
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    /// <summary>The master key as <c>GET /v1/admin/me</c> describes it: every scope.</summary>
    public static readonly SignedInAdmin MasterKey = new("master", null, "master key", [AdminScopes.Admin]);

    /// <summary>An admin token named <c>ci-reader</c> with these scopes only.</summary>
    public static SignedInAdmin Token(params string[] scopes) => new("token", "5d0c3c1e-8f1a-4e55-9a77-2b1f6f0e9c10", "ci-reader", scopes);

    /// <param name="settings">Configuration (<c>services:gateway:http:0</c>…) for the health probes and <c>NoTraffic</c>.</param>
    /// <param name="options">The Dashboard's options; pages never refresh themselves during a test unless it says so.</param>
    /// <param name="admin">Who signed in: <see cref="MasterKey"/> unless a test says otherwise.</param>
    public DashboardCircuit(IReadOnlyDictionary<string, string?>? settings = null, DashboardOptions? options = null, SignedInAdmin? admin = null)
    {
        // The machine running the tests is shared; a page's first load may take more than bUnit's default second.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.JSInterop.Setup<string>("aigDashboard.timeZone").SetResult(ZoneId);
        admin ??= MasterKey;
        Context.AddAuthorization().SetAuthorized(admin.Name).SetClaims([.. admin.ToClaims(Credential, "Cookies").Claims]);

        var services = Context.Services;
        services.AddMudServices();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddSingleton(Options.Create(options ?? new DashboardOptions { RefreshInterval = TimeSpan.FromHours(1) }));
        services.AddServiceDiscoveryCore().AddConfigurationServiceEndpointProvider().AddPassThroughServiceEndpointProvider();
        services.AddHttpClient(AdminApi.HttpClientName, client => client.BaseAddress = UsageApi).ConfigurePrimaryHttpMessageHandler(() => Services);
        services.AddHttpClient(GatewayAdminApi.HttpClientName, client => client.BaseAddress = Gateway).ConfigurePrimaryHttpMessageHandler(() => Services);
        services.AddHttpClient(PlatformHealth.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Services);
        services.AddScoped<AdminHttp>();
        services.AddSingleton<ForwardedClient>();
        services.AddScoped<AdminApi>();
        services.AddScoped<GatewayAdminApi>();
        services.AddScoped<BrowserClock>();
        services.AddSingleton<PlatformHealth>();
    }

    public BunitContext Context { get; } = new();

    /// <summary>UsageApi, the Gateway and the services' health endpoints.</summary>
    public FakeServices Services { get; } = new();

    public ManualClock Clock { get; } = new(Now);

    /// <summary>
    /// Renders <typeparamref name="TPage"/> after the providers of the layout (popovers, dialogs, snackbars), so that its
    /// dialogs and menus render too; the returned markup holds them all.
    /// </summary>
    public IRenderedComponent<IComponent> Render<TPage>() where TPage : IComponent =>
        Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            builder.CloseComponent();
        });

    /// <summary>
    /// Renders a page as the router does: in the main layout, which is told which page it shows (the
    /// menu, who is signed in, and the page only when the sign-in opens it).
    /// </summary>
    public IRenderedComponent<IComponent> RenderInLayout<TPage>() where TPage : IComponent => RenderInLayout(typeof(TPage));

    public IRenderedComponent<IComponent> RenderInLayout(Type page) =>
        Context.Render(builder =>
        {
            builder.OpenComponent<CascadingValue<RouteData>>(0);
            builder.AddComponentParameter(1, nameof(CascadingValue<RouteData>.Value), new RouteData(page, new Dictionary<string, object?>()));
            builder.AddComponentParameter(2, nameof(CascadingValue<RouteData>.ChildContent), (RenderFragment)(layout =>
            {
                layout.OpenComponent<MainLayout>(0);
                layout.AddComponentParameter(1, nameof(MainLayout.Body), (RenderFragment)(body =>
                {
                    body.OpenComponent(0, page);
                    body.CloseComponent();
                }));
                layout.CloseComponent();
            }));
            builder.CloseComponent();
        });

    public ValueTask DisposeAsync()
    {
        Services.Dispose();
        return Context.DisposeAsync();
    }
}
