using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Errors;

public static class ApiErrorsExtensions
{
    /// <summary>
    /// Makes every error an API answers take OpenAI's shape: unhandled exceptions become a 500 without a stack
    /// trace (the middleware logs the exception), and bodiless 4xx/5xx answers from routing (unknown path, wrong method)
    /// get a body that says what went wrong. A client's malformed HTTP that Kestrel finds while the body is read (a bad
    /// chunk, a body too slow or too large) is the client's mistake: its status, one line at debug level without a
    /// stack trace, and no error in the logs, where errors are what we must fix.
    /// </summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        var clientErrors = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AiPlatform.ClientErrors");
        var outages = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AiPlatform.Outages");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var feature = context.Features.Get<IExceptionHandlerFeature>();
                if (feature?.Error is BadHttpRequestException badRequest)
                {
                    ApiErrorsLog.MalformedRequest(clientErrors, context.Request.Method, context.Request.Path, badRequest.StatusCode, badRequest.Message);
                    return new ApiError(badRequest.StatusCode, badRequest.Message, ApiErrorTypes.InvalidRequest).WriteAsync(context.Response);
                }

                if (IsTransientDatabaseFailure(feature?.Error))
                {
                    ApiErrorsLog.DatabaseUnavailable(outages, context.Request.Method, context.Request.Path, feature!.Error.GetBaseException().Message);
                    // The database is down or restarting: the caller should try again (the Gateway parks usage batches for it).
                    return new ApiError(StatusCodes.Status503ServiceUnavailable, "The database is unavailable right now; try again shortly.",
                        ApiErrorTypes.Server, "database_unavailable").WriteAsync(context.Response, TimeSpan.FromSeconds(1));
                }

                return ApiError.Internal().WriteAsync(context.Response);
            },
            // A client's malformed request and a database outage are logged above, once, without a stack trace.
            SuppressDiagnosticsCallback = static context => context.Exception is BadHttpRequestException || IsTransientDatabaseFailure(context.Exception),
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

    /// <summary>A failure the database driver marks transient (Npgsql does for a refused or broken connection), however wrapped.</summary>
    private static bool IsTransientDatabaseFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
