using System.Runtime.Versioning;

// Every test here runs the whole platform: real processes on real ports, one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The AppHost, and the /proc and signal checks of these tests, are Linux only.
[assembly: SupportedOSPlatform("linux")]
