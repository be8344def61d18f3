using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.UsageApi.Audit;

/// <summary>Who made a change and from where, as the audit log records it.</summary>
public sealed record AuditActor(AdminIdentity Identity, string ClientAddress)
{
    public static AuditActor Of(HttpContext context) => new(AdminIdentity.Of(context), AdminCallerAddress.Of(context));
}
