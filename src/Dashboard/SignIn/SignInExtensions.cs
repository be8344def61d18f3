using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace AiPlatform.Dashboard.SignIn;

public static class SignInExtensions
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    /// <summary>
    /// Cookie sign-in with an admin credential (an admin token or the master key), required for every page and endpoint
    /// (the fallback policy); only the sign-in page, static assets and health probes are open.
    /// </summary>
    public static IHostApplicationBuilder AddAdminSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInOptions>>((cookie, signIn) =>
            {
                cookie.Cookie.Name = "aig_dashboard";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = SignInPath;
                cookie.ExpireTimeSpan = signIn.Value.Session;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    // A cookie from before scopes (the credential alone) would show no page at all, and one whose token
                    // has expired would show UsageApi's refusal on every page: both sign in again instead.
                    var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    if (context.Principal is null || SignedInAdmin.Of(context.Principal) is not { } admin || admin.ExpiresAt <= now)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
                cookie.Events.OnRedirectToLogin = context =>
                {
                    // A page goes to the sign-in form; anything else (an API call) gets a plain 401.
                    if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }
                    else
                    {
                        // A plain 401: not re-executed as the not-found page (which, for a POST, would fail antiforgery).
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
                        {
                            statusPages.Enabled = false;
                        }
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        // No retries: a refused credential must count once, and a 429 must reach the person, not be waited out here.
        builder.Services.AddHttpClient(AdminCredentialValidator.HttpClientName, client => client.BaseAddress = new Uri(ServiceAddresses.UsageApi))
            .WithoutStandardResilience();
        builder.Services.AddSingleton<AdminCredentialValidator>();
        builder.Services.AddSingleton<ForwardedClient>();
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }

    /// <summary><c>POST /signout</c> (a form with the antiforgery token): drops the cookie and goes back to the sign-in form.</summary>
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignOutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // The middleware only marks a request without a valid token; an endpoint that binds no form must refuse it.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignInPath);
        });
        return app;
    }
}
