namespace AiPlatform.AppHost.Orchestration;

/// <summary>A resource could not be started or did not become ready; the message says which and what to do.</summary>
internal sealed class StartupException(string message) : Exception(message);
