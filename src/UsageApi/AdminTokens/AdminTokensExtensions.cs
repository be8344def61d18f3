using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.UsageApi.Audit;

namespace AiPlatform.UsageApi.AdminTokens;

public static class AdminTokensExtensions
{
    /// <summary>Admin tokens, the admin filter that checks them, and the audit log every admin change writes to.</summary>
    public static IHostApplicationBuilder AddAdminTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminTokenStore>();
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<IAdminTokenResolver, AdminTokenResolver>();
        return builder;
    }
}
