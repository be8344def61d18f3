using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AiPlatform.UsageApi.AdminTokens;

/// <summary>
/// Admin tokens (<c>/v1/admin/tokens</c>, made and revoked with the <c>admin</c> scope), <c>GET /v1/admin/me</c> (who the
/// caller is, for any admin credential) and <c>POST /v1/admin/introspect</c> (who another token is, for the Gateway,
/// which checks admin tokens here and not in a copy of its own).
/// </summary>
public static class AdminTokensEndpoints
{
    public const string RoutePrefix = "/v1/admin";

    public static IEndpointRouteBuilder MapAdminTokensEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(RoutePrefix).RequireAdmin(AdminScopes.Admin).WithTags("Admin tokens");

        admin.MapGet("/me", GetMe).RequireAdminScope([.. AdminScopes.All]).WithName("GetAdminIdentity");
        admin.MapPost("/introspect", IntrospectAsync).WithName("IntrospectAdminToken");
        admin.MapPost("/tokens", CreateTokenAsync).WithName("CreateAdminToken");
        admin.MapGet("/tokens", ListTokensAsync).WithName("ListAdminTokens");
        admin.MapGet("/tokens/{id:guid}", GetTokenAsync).WithName("GetAdminToken");
        admin.MapDelete("/tokens/{id:guid}", RevokeTokenAsync).WithName("RevokeAdminToken");
        return app;
    }

    public static Ok<AdminIdentityView> GetMe(HttpContext context) => TypedResults.Ok(AdminIdentityView.From(AdminIdentity.Of(context)));

    /// <summary><c>{"token": "..."}</c>: the token's identity, or <c>active: false</c>. Never answers for the master key.</summary>
    public static async Task<Results<Ok<AdminIdentityView>, ApiErrorResult>> IntrospectAsync(
        HttpRequest request, IAdminTokenResolver tokens, CancellationToken cancellationToken)
    {
        var (body, readError) = await KeyRequestParser.ReadBodyAsync(request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return new ApiErrorResult(readError);
        }

        if (document!.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("token", out var tokenValue)
            || tokenValue.ValueKind != JsonValueKind.String)
        {
            return new ApiErrorResult(ApiError.BadRequest("Missing required parameter: 'token' (a string).", "token", KeyErrorCodes.MissingRequiredParameter));
        }

        var token = tokenValue.GetString()!;
        return TypedResults.Ok(AdminTokenFormat.IsWellFormed(token) && await tokens.ResolveAsync(token, cancellationToken) is { } identity
            ? AdminIdentityView.From(identity)
            : AdminIdentityView.Inactive);
    }

    /// <summary>Makes a token; the answer is the only place its plain value ever appears.</summary>
    public static async Task<Results<Created<AdminTokenView>, ApiErrorResult>> CreateTokenAsync(
        HttpContext context, AdminTokenStore store, TimeProvider time, ILogger<AdminTokenStore> logger, CancellationToken cancellationToken)
    {
        var (body, readError) = await KeyRequestParser.ReadBodyAsync(context.Request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return new ApiErrorResult(readError);
        }

        var now = time.GetUtcNow();
        if (!AdminTokenRequest.TryParse(document!.RootElement, now, out var parsed, out var error))
        {
            return new ApiErrorResult(error);
        }

        var actor = AuditActor.Of(context);
        var plain = ApiKeyGenerator.Generate(AdminTokenFormat.Prefix);
        var token = await store.CreateAsync(new AdminTokenEntity
        {
            Id = Guid.CreateVersion7(now),
            Name = parsed.Name,
            TokenHash = ApiKeyHash.Compute(plain),
            TokenPrefix = ApiKeyGenerator.DisplayPrefix(plain, AdminTokenFormat.Prefix),
            Scopes = [.. parsed.Scopes],
            CreatedAt = now,
            ExpiresAt = parsed.ExpiresAt,
            CreatedByKind = actor.Identity.Kind,
            CreatedById = actor.Identity.Id,
            CreatedByName = actor.Identity.Name,
        }, actor, cancellationToken);
        AdminTokensLog.Created(logger, token.Id, token.TokenPrefix, token.Name, actor.Identity.Name);

        // The answer holds the secret: no cache on the way may keep it.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"{RoutePrefix}/tokens/{token.Id}", AdminTokenView.From(token, plain));
    }

    public static async Task<Ok<AdminTokenList>> ListTokensAsync(
        [FromQuery(Name = "include_revoked")] bool? includeRevoked, AdminTokenStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AdminTokenList((await store.ListAsync(includeRevoked ?? false, cancellationToken)).Select(t => AdminTokenView.From(t)).ToList()));

    public static async Task<Results<Ok<AdminTokenView>, ApiErrorResult>> GetTokenAsync(Guid id, AdminTokenStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } token ? TypedResults.Ok(AdminTokenView.From(token)) : UnknownToken(id);

    /// <summary>Revokes a token (idempotent); it is refused from the next request on.</summary>
    public static async Task<Results<Ok<AdminTokenView>, ApiErrorResult>> RevokeTokenAsync(
        Guid id, HttpContext context, AdminTokenStore store, ILogger<AdminTokenStore> logger, CancellationToken cancellationToken)
    {
        var actor = AuditActor.Of(context);
        if (await store.RevokeAsync(id, actor, cancellationToken) is not { } token)
        {
            return UnknownToken(id);
        }

        AdminTokensLog.Revoked(logger, token.Id, token.TokenPrefix, actor.Identity.Name);
        return TypedResults.Ok(AdminTokenView.From(token));
    }

    private static ApiErrorResult UnknownToken(Guid id) =>
        new(ApiError.NotFound($"No admin token with id '{id}'.", ApiErrorCodes.NotFound, "id"));
}
