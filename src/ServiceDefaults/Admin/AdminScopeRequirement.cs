using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>Endpoint metadata: the scopes of which an admin token needs one (see <see cref="AdminAuthFilter"/>).</summary>
public sealed class AdminScopeRequirement(params string[] anyOf)
{
    /// <summary>What an admin endpoint that names no scope needs: closed rather than open by mistake.</summary>
    public static AdminScopeRequirement AdminOnly { get; } = new(AdminScopes.Admin);

    public IReadOnlyList<string> AnyOf { get; } = anyOf;

    public override string ToString() => AnyOf.Count == 1 ? AnyOf[0] : "one of " + string.Join(", ", AnyOf);
}

public static class AdminEndpointExtensions
{
    /// <summary>
    /// Puts every endpoint of <paramref name="builder"/> behind <see cref="AdminAuthFilter"/>, needing one of
    /// <paramref name="anyOf"/>; an endpoint may name its own scopes with <see cref="RequireAdminScope"/>.
    /// </summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, AdminAuthFilter>().RequireAdminScope(anyOf);

    /// <summary>The scopes of which an admin token needs one here (the last one named wins: an endpoint's over its group's).</summary>
    public static TBuilder RequireAdminScope<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdminScopeRequirement(anyOf));
}
