namespace AiPlatform.Benchmarks.Tests;

/// <summary>The checkout the tests were built from: the folder above the test binaries that holds the solution.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "AiPlatform.sln")) &&
                File.Exists(System.IO.Path.Combine(directory.FullName, "bench", "run.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No AiPlatform.sln with bench/run.sh above {AppContext.BaseDirectory}.");
    }
}
