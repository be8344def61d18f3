namespace AiPlatform.Dashboard.Admin;

public static class AdminCall
{
    /// <summary>
    /// Runs an admin call a person asked for (a create, a revoke); the refusal's message to show them, or null when it
    /// worked. Only <see cref="AdminApiException"/> is caught: anything else is a bug and must not look like a refusal.
    /// </summary>
    public static async Task<string?> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (AdminApiException ex)
        {
            return ex.Message;
        }
    }
}
