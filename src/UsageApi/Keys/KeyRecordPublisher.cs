using Microsoft.Extensions.Options;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// Publishes a key's new state to Redis right after Postgres has it. Postgres is the truth and its change already
/// happened, so a Redis failure never fails the request: the write is handed to <see cref="KeyRecordSync"/>, which
/// retries it in the background, and a warning is logged. Thread-safe.
/// </summary>
public sealed class KeyRecordPublisher(
    KeyRecordWriter writer,
    KeyRecordSync sync,
    IOptions<KeysOptions> options,
    ILogger<KeyRecordPublisher> logger)
{
    public Task PublishAsync(ApiKey key, CancellationToken cancellationToken) =>
        PublishAsync(key, KeyRecord.From(key).ToJson(), cancellationToken);

    /// <summary>Publishes <paramref name="json"/>, the record of <paramref name="key"/> already serialized.</summary>
    public async Task PublishAsync(ApiKey key, string json, CancellationToken cancellationToken)
    {
        if (!writer.IsConnected)
        {
            Defer(key, "Redis is not connected");
            return;
        }

        try
        {
            await writer.WriteAsync(key, json).WaitAsync(options.Value.RedisWriteTimeout, cancellationToken);
        }
        catch (Exception ex)
        {
            // Whatever went wrong (timeout, connection, the caller leaving), the retry writes the state Postgres holds then.
            Defer(key, ex.Message);
        }
    }

    private void Defer(ApiKey key, string reason)
    {
        KeysLog.KeyRecordDeferred(logger, key.Id, reason);
        sync.Schedule(key.Id);
    }
}
