using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Workers;

namespace AiPlatform.ServiceDefaults.Tests.Workers;

/// <summary>The announcement's JSON, the contract between workers (writers) and Gateways (readers).</summary>
public sealed class WorkerAnnouncementFormatTests
{
    private static readonly WorkerAnnouncement s_announcement = new()
    {
        Id = "host-8082-0a1b2c3d",
        Address = "http://localhost:8082/",
        Engine = "vllm",
        Models = ["llama-3-8b", "llama-3-8b-lora"],
        Running = 3,
        Waiting = 1,
        MaxRunning = 64,
        MaxWaiting = 256,
        KvCacheUsage = 0.42,
        UpdatedAtUnixMs = 1_767_225_600_000,
    };

    [Fact]
    public void Serialize_Announcement_SnakeCaseNamesEveryFieldWritten()
    {
        using var json = JsonDocument.Parse(WorkerAnnouncementFormat.Serialize(s_announcement with { KvCacheUsage = null }));

        Assert.Equal(
            ["id", "address", "engine", "models", "running", "waiting", "max_running", "max_waiting", "kv_cache_usage", "updated_at_unix_ms"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("kv_cache_usage").ValueKind);
        Assert.Equal(64, json.RootElement.GetProperty("max_running").GetInt32());
    }

    [Fact]
    public void TryParse_SerializedAnnouncement_RoundTrips()
    {
        Assert.True(WorkerAnnouncementFormat.TryParse(WorkerAnnouncementFormat.Serialize(s_announcement), out var parsed));

        Assert.Equal(s_announcement with { Models = [] }, parsed with { Models = [] });
        Assert.Equal(s_announcement.Models, parsed.Models);
    }

    [Fact]
    public void TryParse_UnknownFieldsAndOptionalOnesMissing_Reads()
    {
        var json = """{"id":"w","address":"http://w:1/","engine":"simulator","models":["sim"],"zone":"eu-1"}"""u8;

        Assert.True(WorkerAnnouncementFormat.TryParse(json, out var parsed));

        Assert.Equal((0, 0, null), (parsed.Running, parsed.MaxWaiting, parsed.KvCacheUsage));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator"}""")]
    [InlineData("""{"id":null,"address":"http://w:1/","engine":"simulator","models":[]}""")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator","models":null}""")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator","models":["a",null]}""")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator","models":[],"running":"3"}""")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator","models":[],"running":1e40}""")]
    [InlineData("""{"id":"w","address":"http://w:1/","engine":"simulator","models":[]""")]
    public void TryParse_NotAnAnnouncement_ReturnsFalse(string json)
    {
        Assert.False(WorkerAnnouncementFormat.TryParse(Encoding.UTF8.GetBytes(json), out var parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void TryParse_InvalidUtf8_ReturnsFalse()
    {
        // "id": "\xC3(" — a lead byte followed by one that cannot continue it.
        byte[] json = [.. "{\"id\":\""u8, 0xC3, 0x28, .. "\",\"address\":\"a\",\"engine\":\"e\",\"models\":[]}"u8];

        Assert.False(WorkerAnnouncementFormat.TryParse(json, out _));
    }

    [Fact]
    public void Keys_WorkerId_IndexAndPerWorkerKey()
    {
        Assert.Equal("aig:workers", WorkerDirectoryKeys.Index);
        Assert.Equal("aig:worker:host-8082-0a1b2c3d", WorkerDirectoryKeys.Of("host-8082-0a1b2c3d"));
    }
}
