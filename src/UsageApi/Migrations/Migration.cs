using System.Security.Cryptography;
using System.Text;

namespace AiPlatform.UsageApi.Migrations;

/// <summary>One versioned SQL script, named <c>NNNN_description.sql</c>, applied once and never edited after.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>
    /// SHA-256 of the script, recorded when applied so that an edited script is detected, not ignored.
    /// Computed on each read: a stored value would go stale in a copy made with <c>with { Sql = … }</c>.
    /// </summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}
