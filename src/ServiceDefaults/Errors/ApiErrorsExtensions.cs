using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Errors;

public static class ApiErrorsExtensions
{
    /// <summary>
    /// Makes every error an API answers take OpenAI's shape: unhandled exceptions become a 500 without a stack
    /// trace (the middleware logs the exception), and bodiless 4xx/5xx answers from routing (unknown path, wrong method)
    /// get a body that says what went wrong.
    /// </summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = static context =>
            {
                var feature = context.Features.Get<IExceptionHandlerFeature>();
                if (feature?.Error is BadHttpRequestException badRequest)
                {
                    return new ApiError(badRequest.StatusCode, badRequest.Message, ApiErrorTypes.InvalidRequest).WriteAsync(context.Response);
                }

                return ApiError.Internal().WriteAsync(context.Response);
            },
        });

        app.UseStatusCodePages(static context =>
        {
            var http = context.HttpContext;
            var error = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ApiError.NotFound($"Unknown path: {http.Request.Method} {http.Request.Path}", ApiErrorCodes.NotFound),
                StatusCodes.Status405MethodNotAllowed => new ApiError(StatusCodes.Status405MethodNotAllowed,
                    $"Method {http.Request.Method} is not allowed on {http.Request.Path}.", ApiErrorTypes.InvalidRequest, ApiErrorCodes.MethodNotAllowed),
                StatusCodes.Status401Unauthorized => ApiError.Unauthorized("Missing or invalid credentials."),
                >= 500 => ApiError.Internal() with { StatusCode = http.Response.StatusCode },
                var status => new ApiError(status, "The request could not be processed.", ApiErrorTypes.InvalidRequest),
            };
            return error.WriteAsync(http.Response);
        });

        return app;
    }
}
