using System.Text.Json.Serialization;

namespace AiPlatform.ServiceDefaults.Workers;

/// <summary>
/// The announcement's JSON, source-generated: snake_case names (<c>max_running</c>, <c>kv_cache_usage</c>), nulls
/// written, non-nullable strings enforced when reading. Use it as <c>WorkerAnnouncementJson.Default.WorkerAnnouncement</c>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(WorkerAnnouncement))]
public sealed partial class WorkerAnnouncementJson : JsonSerializerContext;
