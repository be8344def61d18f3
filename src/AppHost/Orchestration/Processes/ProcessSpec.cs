namespace AiPlatform.AppHost.Orchestration.Processes;

/// <summary>How to start one process.</summary>
/// <param name="Name">Shown before each line of its output.</param>
/// <param name="FileName">Full path of the program.</param>
/// <param name="Arguments">Its arguments, passed without a shell.</param>
/// <param name="WorkingDirectory">Its current directory.</param>
/// <param name="Environment">Variables set on top of the AppHost's own environment.</param>
internal sealed record ProcessSpec(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);
