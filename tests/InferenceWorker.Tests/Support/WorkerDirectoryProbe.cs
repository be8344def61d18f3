using System.Text;
using AiPlatform.ServiceDefaults.Workers;
using AiPlatform.Testing;
using StackExchange.Redis;

namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>The test's own view of the worker directory in Redis, read the way a Gateway reads it.</summary>
internal sealed class WorkerDirectoryProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;

    private WorkerDirectoryProbe(ConnectionMultiplexer connection) => _connection = connection;

    private IDatabase Database => _connection.GetDatabase();

    public static async Task<WorkerDirectoryProbe> ConnectAsync(RedisServer redis) =>
        new(await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString));

    /// <summary>The announcement under <c>aig:worker:{id}</c>, or null when there is none.</summary>
    public async Task<WorkerAnnouncement?> ReadAsync(string id)
    {
        var value = (byte[]?)await Database.StringGetAsync(WorkerDirectoryKeys.Of(id));
        if (value is null)
        {
            return null;
        }

        Assert.True(WorkerAnnouncementFormat.TryParse(value, out var announcement), $"unreadable announcement of {id}");
        return announcement;
    }

    public async Task<TimeSpan?> TimeToLiveAsync(string id) => await Database.KeyTimeToLiveAsync(WorkerDirectoryKeys.Of(id));

    public async Task<bool> IsIndexedAsync(string id) => await Database.SetContainsAsync(WorkerDirectoryKeys.Index, id);

    public async Task<bool> ExistsAsync(string id) => await Database.KeyExistsAsync(WorkerDirectoryKeys.Of(id));

    /// <summary>Waits until the announcement of <paramref name="id"/> satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<WorkerAnnouncement> WaitForAsync(string id, Func<WorkerAnnouncement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            WorkerAnnouncement? last = null;
            try
            {
                last = await ReadAsync(id);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Redis restarting: not yet.
            }

            if (last is not null && condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Timed out waiting until {what}; last seen: {(last is null ? "none" : Encoding.UTF8.GetString(WorkerAnnouncementFormat.Serialize(last)))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until an indexed worker announces <paramref name="address"/>, and returns its announcement.</summary>
    public async Task<WorkerAnnouncement> WaitForAddressAsync(Uri address)
    {
        WorkerAnnouncement? found = null;
        await Eventually.TrueAsync(async () =>
        {
            foreach (var id in await Database.SetMembersAsync(WorkerDirectoryKeys.Index))
            {
                if (await ReadAsync(id.ToString()) is { } announcement && announcement.Address == address.ToString())
                {
                    found = announcement;
                    return true;
                }
            }

            return false;
        }, TestTimeouts.Default, $"a worker announces {address}");
        return found!;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
