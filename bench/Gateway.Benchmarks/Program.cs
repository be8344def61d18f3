using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*'   (bench/README.md)
//
// In-process by default: BenchmarkDotNet's out-of-process toolchain looks for a project file named after the assembly
// (AiPlatform.Gateway.Benchmarks.csproj), which the repository's naming (Gateway.Benchmarks.csproj, prefixed by
// Directory.Build.props) does not give it; and a nested build would compete with the solution's own.
string[] arguments = args.Contains("--inProcess") || args.Contains("-i") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(AiPlatform.Gateway.Benchmarks.Fixtures).Assembly).Run(arguments);
