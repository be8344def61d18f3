using System.Security.Cryptography;
using System.Text.Json;
using AiPlatform.Gateway.Auth;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Auth;

/// <summary>
/// Puts virtual keys where UsageApi would: records in Redis under the published format. The Gateway is tested
/// against that contract with a real Redis; UsageApi's side of it has its own tests.
/// </summary>
internal static class TestKeys
{
    public static string NewKey() => VirtualKeys.Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static async Task<string> SeedAsync(string redisConnectionString, KeyRecord record, string? key = null)
    {
        key ??= NewKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
        await redis.GetDatabase().StringSetAsync(KeyRecordFormat.RedisKeyPrefix + VirtualKeys.Hash(key),
            JsonSerializer.SerializeToUtf8Bytes(record, KeyRecordJsonContext.Default.KeyRecord));
        return key;
    }

    public static async Task PublishChangeAsync(string redisConnectionString, string key, KeyRecord record)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
        var hash = VirtualKeys.Hash(key);
        await redis.GetDatabase().StringSetAsync(KeyRecordFormat.RedisKeyPrefix + hash,
            JsonSerializer.SerializeToUtf8Bytes(record, KeyRecordJsonContext.Default.KeyRecord));
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(KeyRecordFormat.InvalidationChannel), hash);
    }
}
