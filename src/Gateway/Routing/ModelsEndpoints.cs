using System.Text.Json;
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

    private static async Task ListModels(HttpContext context, ModelCatalog catalog)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var name in catalog.Names)
        {
            WriteModel(writer, name, catalog.Created);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static async Task RetrieveModel(HttpContext context, string model, ModelCatalog catalog)
    {
        if (!catalog.TryGetRoute(model, out _))
        {
            await ApiError.NotFound($"The model '{model}' does not exist or you do not have access to it.", ApiErrorCodes.ModelNotFound, "model")
                .WriteAsync(context.Response);
            return;
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        WriteModel(writer, model, catalog.Created);
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
