using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Routing;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: the models this Gateway routes, in OpenAI's shape.</summary>
public static class ModelsEndpoints
{
    private const string OwnedBy = "aiplatform";

    public static IEndpointRouteBuilder MapModelsEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/models", ListModels).WithName("ListModels");
        v1.MapGet("/models/{**model}", RetrieveModel).WithName("RetrieveModel");
        return app;
    }

    private static async Task ListModels(HttpContext context, ModelCatalog catalog, Authenticator authenticator)
    {
        if (await AuthenticateAsync(context, authenticator) is not { } key)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var name in catalog.Names.Where(key.AllowsModel))
        {
            WriteModel(writer, name, catalog.Created);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static async Task RetrieveModel(HttpContext context, string model, ModelCatalog catalog, Authenticator authenticator)
    {
        if (await AuthenticateAsync(context, authenticator) is not { } key)
        {
            return;
        }

        if (!catalog.TryGetRoute(model, out _) || !key.AllowsModel(model))
        {
            await ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model")
                .WriteAsync(context.Response);
            return;
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        WriteModel(writer, model, catalog.Created);
    }

    /// <summary>Listing models needs a valid key too, and shows only the models that key may use.</summary>
    private static async Task<KeyRecord?> AuthenticateAsync(HttpContext context, Authenticator authenticator)
    {
        var auth = await authenticator.AuthenticateAsync(context);
        if (auth.Error is { } error)
        {
            await error.WriteAsync(context.Response, auth.RetryAfter);
        }

        return auth.Key;
    }

    private static void WriteModel(Utf8JsonWriter writer, string name, long created)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, name);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, created);
        writer.WriteString("owned_by"u8, OwnedBy);
        writer.WriteEndObject();
    }
}
