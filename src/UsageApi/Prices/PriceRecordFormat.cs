using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// The contract between UsageApi (the only writer) and Gateways (readers) for model prices in Redis, which Gateways
/// use for their running spend figure (the ledger prices every record itself).
/// </summary>
/// <remarks>
/// <para><b>Key:</b> hash <c>aig:prices</c> (<see cref="RedisKey"/>): field = model name exactly as in the price table
/// (may contain <c>/</c> and <c>:</c>), value = UTF-8 JSON
/// <c>{"input_per_million_usd": 0.15, "output_per_million_usd": 0.6}</c> (USD per million tokens, numbers ≥ 0).
/// A model without a field has no price (costs 0).</para>
/// <para><b>Writes:</b> the whole hash is replaced in one Lua script (readers never see it half-written) at UsageApi's
/// start, whenever its Redis connection comes back, and after every change through the admin API. UsageApi also
/// keeps <c>aig:prices:version</c> (<see cref="VersionKey"/>), the table's version, so that an older table never
/// replaces a newer one; Gateways ignore it.</para>
/// </remarks>
public static class PriceRecordFormat
{
    public const string RedisKey = "aig:prices";

    public const string VersionKey = "aig:prices:version";

    /// <summary>The hash value of one price: <c>{"input_per_million_usd":…,"output_per_million_usd":…}</c>.</summary>
    public static string ToJson(ModelPrice price)
    {
        var trimmed = price.Trimmed();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("input_per_million_usd"u8, trimmed.InputPerMillionUsd);
            writer.WriteNumber("output_per_million_usd"u8, trimmed.OutputPerMillionUsd);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string VersionValue(long version) => version.ToString(CultureInfo.InvariantCulture);
}
