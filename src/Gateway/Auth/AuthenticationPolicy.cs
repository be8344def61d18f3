using AiPlatform.Gateway.Pipeline;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// Authenticates the virtual key before the body is read, so that unauthenticated clients cannot make the Gateway
/// buffer anything.
/// </summary>
public sealed class AuthenticationPolicy(Authenticator authenticator) : IInferencePolicy
{
    public async Task InvokeAsync(InferenceContext context, InferenceDelegate next)
    {
        var auth = await authenticator.AuthenticateAsync(context.Http);
        if (auth.Key is not { } key)
        {
            await context.RefuseAsync(auth.Error!, auth.RetryAfter);
            return;
        }

        context.Key = key;
        context.ClientIp = auth.ClientIp;
        context.Feature.KeyId = key.Id;
        context.Feature.KeyName = key.Name;
        await next(context);
    }
}
