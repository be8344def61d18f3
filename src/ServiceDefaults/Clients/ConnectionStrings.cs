using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.ServiceDefaults.Clients;

internal static class ConnectionStrings
{
    /// <summary>Reads <c>ConnectionStrings:{name}</c>, failing with the key to set when it is missing.</summary>
    public static string GetRequired(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Connection string '{KnownConfigNames.ConnectionStringsSection}:{name}' is not set " +
                $"(environment variable {KnownConfigNames.ConnectionStringsSection}__{name}).");
}
