using System.Runtime.Versioning;

// bench/run.sh reads /proc and starts Linux servers; the allocation check runs anywhere but lives with it.
[assembly: SupportedOSPlatform("linux")]
