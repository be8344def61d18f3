using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Errors;

/// <summary>
/// An <see cref="IResult"/> that writes an <see cref="ApiError"/>, for typed minimal API handlers, with a
/// <c>Retry-After</c> when <paramref name="retryAfter"/> is positive.
/// </summary>
public sealed class ApiErrorResult(ApiError error, TimeSpan retryAfter = default) : IResult, IStatusCodeHttpResult
{
    public ApiError Error { get; } = error;

    public TimeSpan RetryAfter { get; } = retryAfter;

    public int? StatusCode => Error.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => Error.WriteAsync(httpContext.Response, RetryAfter);
}
