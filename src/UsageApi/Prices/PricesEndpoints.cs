using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Audit;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// The admin API for model prices (read with <c>analytics:read</c> or <c>prices:write</c>, changed with <c>prices:write</c>, each change audited). Model names may contain <c>/</c> and <c>:</c>
/// (<c>openai/gpt-4o</c>, <c>llama3:8b</c>), hence the catch-all route parameter. Postgres is changed first (the
/// truth), then the Redis copy is rewritten for the Gateways (see <see cref="PriceRecordFormat"/>).
/// </summary>
public static class PricesEndpoints
{
    public const string RoutePrefix = "/v1/prices";

    /// <summary>Far above any real price, and below what <c>numeric(18, 9)</c> can hold.</summary>
    public const decimal MaxPricePerMillionUsd = 1_000_000m;

    public static IEndpointRouteBuilder MapPricesEndpoints(this IEndpointRouteBuilder app)
    {
        var prices = app.MapGroup(RoutePrefix).RequireAdmin(AdminScopes.AnalyticsRead, AdminScopes.PricesWrite).WithTags("Prices");

        prices.MapGet("/", ListPricesAsync).WithName("ListPrices");
        prices.MapGet("/{**model}", GetPriceAsync).WithName("GetPrice");
        prices.MapPut("/{**model}", SetPriceAsync).RequireAdminScope(AdminScopes.PricesWrite).WithName("SetPrice");
        prices.MapDelete("/{**model}", DeletePriceAsync).RequireAdminScope(AdminScopes.PricesWrite).WithName("DeletePrice");

        return app;
    }

    public static async Task<Ok<ModelPriceList>> ListPricesAsync([AsParameters] PricesServices services, CancellationToken cancellationToken)
    {
        var prices = await services.Store.ListAsync(cancellationToken);
        return TypedResults.Ok(new ModelPriceList(prices.Select(price => price.Trimmed()).ToList()));
    }

    public static async Task<Results<Ok<ModelPrice>, ApiErrorResult>> GetPriceAsync(
        string? model, [AsParameters] PricesServices services, CancellationToken cancellationToken)
    {
        if (!TryGetModel(model, out var name, out var error))
        {
            return new ApiErrorResult(error);
        }

        return await services.Store.GetAsync(name, cancellationToken) is { } price
            ? TypedResults.Ok(price.Trimmed())
            : UnknownModel(name);
    }

    /// <summary>Creates or replaces a model's price: <c>{"input_per_million_usd": 0.15, "output_per_million_usd": 0.6}</c>.</summary>
    public static async Task<Results<Ok<ModelPrice>, ApiErrorResult>> SetPriceAsync(
        string? model, HttpRequest request, [AsParameters] PricesServices services, CancellationToken cancellationToken)
    {
        if (!TryGetModel(model, out var name, out var error))
        {
            return new ApiErrorResult(error);
        }

        var (body, readError) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return new ApiErrorResult(readError);
        }

        if (!TryParsePrice(document!.RootElement, out var input, out var output, out error))
        {
            return new ApiErrorResult(error);
        }

        var price = (await services.Store.UpsertAsync(name, input, output, AuditActor.Of(request.HttpContext), cancellationToken)).Trimmed();
        PricesLog.PriceSet(services.Logger, price.Model, price.InputPerMillionUsd, price.OutputPerMillionUsd);
        await services.Sync.PublishAsync(cancellationToken);
        return TypedResults.Ok(price);
    }

    public static async Task<Results<Ok<ModelPriceDeleted>, ApiErrorResult>> DeletePriceAsync(
        string? model, HttpContext context, [AsParameters] PricesServices services, CancellationToken cancellationToken)
    {
        if (!TryGetModel(model, out var name, out var error))
        {
            return new ApiErrorResult(error);
        }

        if (!await services.Store.DeleteAsync(name, AuditActor.Of(context), cancellationToken))
        {
            return UnknownModel(name);
        }

        PricesLog.PriceDeleted(services.Logger, name);
        await services.Sync.PublishAsync(cancellationToken);
        return TypedResults.Ok(new ModelPriceDeleted(name, true));
    }

    /// <summary>The model name from the route; <c>%2F</c> (an encoded <c>/</c>, which servers leave encoded) is decoded too.</summary>
    private static bool TryGetModel(string? routeValue, [NotNullWhen(true)] out string? model, [NotNullWhen(false)] out ApiError? error)
    {
        model = routeValue is null ? null : Uri.UnescapeDataString(routeValue);
        if (string.IsNullOrWhiteSpace(model) || model.Length > KeyRequestParser.MaxModelNameLength)
        {
            model = null;
            error = ApiError.BadRequest(
                $"Invalid model name: it must be 1 to {KeyRequestParser.MaxModelNameLength} characters and not only white space, as in /v1/prices/openai/gpt-4o.",
                "model", KeyErrorCodes.InvalidValue);
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParsePrice(JsonElement body, out decimal input, out decimal output, [NotNullWhen(false)] out ApiError? error)
    {
        input = output = 0;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.BadRequest("The request body must be a JSON object.", code: KeyErrorCodes.InvalidType);
            return false;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("input_per_million_usd" or "output_per_million_usd"))
            {
                error = ApiError.BadRequest($"Unrecognized request argument supplied: {property.Name}", property.Name, KeyErrorCodes.UnknownParameter);
                return false;
            }
        }

        return TryParseAmount(body, "input_per_million_usd", out input, out error)
            && TryParseAmount(body, "output_per_million_usd", out output, out error);
    }

    private static bool TryParseAmount(JsonElement body, string param, out decimal amount, [NotNullWhen(false)] out ApiError? error)
    {
        amount = 0;
        if (!body.TryGetProperty(param, out var value))
        {
            error = ApiError.BadRequest($"Missing required parameter: '{param}'.", param, KeyErrorCodes.MissingRequiredParameter);
            return false;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            error = ApiError.BadRequest($"Invalid type for '{param}': expected a number.", param, KeyErrorCodes.InvalidType);
            return false;
        }

        if (!value.TryGetDecimal(out amount) || amount is < 0 or > MaxPricePerMillionUsd)
        {
            error = ApiError.BadRequest($"Invalid value for '{param}': must be a number of USD per million tokens from 0 to {MaxPricePerMillionUsd}.",
                param, KeyErrorCodes.InvalidValue);
            return false;
        }

        error = null;
        return true;
    }

    private static ApiErrorResult UnknownModel(string model) =>
        new(ApiError.NotFound($"No price for model '{model}'.", ApiErrorCodes.NotFound, "model"));
}

/// <summary>What the price handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record PricesServices(PriceStore Store, PriceSync Sync, ILogger<PricesServices> Logger);
