using System.Runtime.Versioning;

// The AppHost runs on Linux only (setpriv, POSIX signals), and so do its tests.
[assembly: SupportedOSPlatform("linux")]
