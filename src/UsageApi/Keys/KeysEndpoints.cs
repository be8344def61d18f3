using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// The admin API for virtual keys: read with <c>keys:read</c>, changed with <c>keys:write</c>, each change audited. Postgres is changed first (the truth), then the key's
/// Redis record is written for the Gateways (see <see cref="KeyRecordFormat"/>).
/// </summary>
public static class KeysEndpoints
{
    public const string RoutePrefix = "/v1/keys";

    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup(RoutePrefix).RequireAdmin(AdminScopes.KeysRead).WithTags("Keys");

        keys.MapPost("/", CreateKeyAsync).RequireAdminScope(AdminScopes.KeysWrite).WithName("CreateKey");
        keys.MapGet("/", ListKeysAsync).WithName("ListKeys");
        keys.MapGet("/{id:guid}", GetKeyAsync).WithName("GetKey");
        keys.MapPatch("/{id:guid}", UpdateKeyAsync).RequireAdminScope(AdminScopes.KeysWrite).WithName("UpdateKey");
        keys.MapDelete("/{id:guid}", RevokeKeyAsync).RequireAdminScope(AdminScopes.KeysWrite).WithName("RevokeKey");
        // The Gateways' lookup: a service's call, with the master key.
        keys.MapGet("/lookup/{hash}", LookupKeyAsync).RequireAdminScope(AdminScopes.Admin).WithName("LookupKey");

        return app;
    }

    /// <summary>Creates a key; the answer is the only place its plain value ever appears.</summary>
    public static async Task<Results<Created<ApiKeyView>, ApiErrorResult>> CreateKeyAsync(
        HttpRequest request, [AsParameters] KeysServices services, CancellationToken cancellationToken)
    {
        var (body, readError) = await KeyRequestParser.ReadBodyAsync(request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return new ApiErrorResult(readError);
        }

        if (!KeyRequestParser.TryParseCreate(document!.RootElement, services.Time.GetUtcNow(), out var changes, out var error))
        {
            return new ApiErrorResult(error);
        }

        var plainKey = ApiKeyGenerator.Generate();
        var key = await services.Store.CreateAsync(
            Guid.CreateVersion7(services.Time.GetUtcNow()),
            ApiKeyHash.Compute(plainKey),
            ApiKeyGenerator.DisplayPrefix(plainKey),
            changes.ApplyTo(ApiKeySettings.Defaults(changes.Name.Value)),
            AuditActor.Of(request.HttpContext),
            cancellationToken);
        KeysLog.KeyCreated(services.Logger, key.Id, key.KeyPrefix);

        await services.Publisher.PublishAsync(key, cancellationToken);
        // The answer holds the secret: no cache on the way may keep it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"{RoutePrefix}/{key.Id}", ApiKeyView.From(key, plainKey));
    }

    public static async Task<Ok<ApiKeyList>> ListKeysAsync(
        [FromQuery(Name = "include_revoked")] bool? includeRevoked, [AsParameters] KeysServices services, CancellationToken cancellationToken)
    {
        var keys = await services.Store.ListAsync(includeRevoked ?? false, cancellationToken);
        return TypedResults.Ok(new ApiKeyList(keys.Select(key => ApiKeyView.From(key)).ToList()));
    }

    public static async Task<Results<Ok<ApiKeyView>, ApiErrorResult>> GetKeyAsync(
        Guid id, [AsParameters] KeysServices services, CancellationToken cancellationToken) =>
        await services.Store.GetAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyView.From(key))
            : UnknownKey(id);

    /// <summary>Changes a key with JSON Merge Patch semantics (see <see cref="KeyChanges"/>).</summary>
    public static async Task<Results<Ok<ApiKeyView>, ApiErrorResult>> UpdateKeyAsync(
        Guid id, HttpRequest request, [AsParameters] KeysServices services, CancellationToken cancellationToken)
    {
        var (body, readError) = await KeyRequestParser.ReadBodyAsync(request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return new ApiErrorResult(readError);
        }

        if (!KeyRequestParser.TryParsePatch(document!.RootElement, out var changes, out var error))
        {
            return new ApiErrorResult(error);
        }

        if (await services.Store.UpdateAsync(id, changes, AuditActor.Of(request.HttpContext), cancellationToken) is not { } key)
        {
            return UnknownKey(id);
        }

        KeysLog.KeyUpdated(services.Logger, key.Id, key.KeyPrefix, key.Version);
        await services.Publisher.PublishAsync(key, cancellationToken);
        return TypedResults.Ok(ApiKeyView.From(key));
    }

    /// <summary>Revokes a key (idempotent). The row stays, with <c>revoked_at</c>; Redis keeps a tombstone for a while.</summary>
    public static async Task<Results<Ok<ApiKeyView>, ApiErrorResult>> RevokeKeyAsync(
        Guid id, HttpContext context, [AsParameters] KeysServices services, CancellationToken cancellationToken)
    {
        if (await services.Store.RevokeAsync(id, AuditActor.Of(context), cancellationToken) is not { } key)
        {
            return UnknownKey(id);
        }

        KeysLog.KeyRevoked(services.Logger, key.Id, key.KeyPrefix);
        // Also when it was revoked before: a repeated DELETE re-publishes the tombstone, which does no harm.
        await services.Publisher.PublishAsync(key, cancellationToken);
        return TypedResults.Ok(ApiKeyView.From(key));
    }

    /// <summary>
    /// For Gateways after a Redis miss: the key's record by the hex SHA-256 of the key, exactly as Redis holds it, and
    /// written into Redis again so the next Gateway finds it there.
    /// </summary>
    public static async Task<Results<ContentHttpResult, ApiErrorResult>> LookupKeyAsync(
        string hash, [AsParameters] KeysServices services, CancellationToken cancellationToken)
    {
        if (!ApiKeyHash.TryParseHex(hash, out var keyHash))
        {
            return new ApiErrorResult(ApiError.BadRequest(
                $"Invalid key hash: expected the {ApiKeyHash.HexLength} hex digits of the key's SHA-256.", "hash", KeyErrorCodes.InvalidValue));
        }

        if (await services.Store.FindByHashAsync(keyHash, cancellationToken) is not { } key)
        {
            return new ApiErrorResult(ApiError.NotFound("No API key has this hash.", ApiErrorCodes.NotFound, "hash"));
        }

        var json = KeyRecord.From(key).ToJson();
        await services.Publisher.PublishAsync(key, json, cancellationToken);
        return TypedResults.Text(json, "application/json");
    }

    private static ApiErrorResult UnknownKey(Guid id) =>
        new(ApiError.NotFound($"No API key with id '{id}'.", ApiErrorCodes.NotFound, "id"));
}

/// <summary>What the key handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record KeysServices(
    KeyStore Store,
    KeyRecordPublisher Publisher,
    TimeProvider Time,
    ILogger<KeysServices> Logger);
