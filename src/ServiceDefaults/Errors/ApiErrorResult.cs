using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Errors;

/// <summary>An <see cref="IResult"/> that writes an <see cref="ApiError"/>, for typed minimal API handlers.</summary>
public sealed class ApiErrorResult(ApiError error) : IResult, IStatusCodeHttpResult
{
    public ApiError Error { get; } = error;

    public int? StatusCode => Error.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => Error.WriteAsync(httpContext.Response);
}
