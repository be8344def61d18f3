using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Data;

public sealed class MigrationOptions
{
    public const string SectionName = "UsageDb:Migrations";

    /// <summary>How long start-up waits for Postgres to accept connections before it gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
