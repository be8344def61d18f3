using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Display;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Dashboard.AdminTokens;

/// <summary>
/// The new-token dialog's fields as a person fills them: the scopes ticked one by one, and the expiry as a number of
/// days from now or as a last day in their own time zone (the token works through that whole day).
/// </summary>
public sealed class AdminTokenForm
{
    /// <summary>The lifetimes offered in days; each token has one, UsageApi makes none that lives for ever.</summary>
    public static IReadOnlyList<int> PresetDays { get; } = [7, 30, 90, 365];

    public string Name { get; set; } = "";

    public ISet<string> Scopes { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How many days from now the token lives; null: until the end of <see cref="LastDay"/>.</summary>
    public int? ValidDays { get; set; } = 30;

    public DateTime? LastDay { get; set; }

    public string? ScopesError => Scopes.Count == 0 ? "Pick at least one scope." : null;

    public string? ExpiryError(DateTimeOffset now, TimeZoneInfo zone) =>
        ValidDays is not null ? null
        : LastDay is null ? "Pick the token's last day."
        : ExpiresAt(now, zone) <= now ? "The last day cannot be in the past."
        : null;

    /// <summary>The token to create; only once <see cref="ScopesError"/> and <see cref="ExpiryError"/> are null.</summary>
    public NewAdminToken ToNewToken(DateTimeOffset now, TimeZoneInfo zone) =>
        // In AdminScopes' order, so the same choice always sends the same body.
        new(Name.Trim(), [.. AdminScopes.All.Where(Scopes.Contains)], ExpiresAt(now, zone));

    private DateTimeOffset ExpiresAt(DateTimeOffset now, TimeZoneInfo zone) =>
        ValidDays is { } days ? now.AddDays(days) : Days.StartOf(LastDay!.Value.AddDays(1), zone).ToUniversalTime();
}
