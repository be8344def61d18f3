using System.Reflection;

namespace AiPlatform.Faults.Tests.Platform;

/// <summary>Where the services this project runs as processes are built: written into the assembly by Faults.Tests.csproj.</summary>
internal static class ServiceBuilds
{
    public static string Gateway { get; } = PathOf("GatewayPath");

    public static string InferenceWorker { get; } = PathOf("InferenceWorkerPath");

    private static string PathOf(string key) => typeof(ServiceBuilds).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
