using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AiPlatform.ServiceDefaults.Workers;

/// <summary>Writes and reads a <see cref="WorkerAnnouncement"/> as the UTF-8 JSON stored under <see cref="WorkerDirectoryKeys.Of"/>.</summary>
public static class WorkerAnnouncementFormat
{
    public static byte[] Serialize(WorkerAnnouncement announcement) =>
        JsonSerializer.SerializeToUtf8Bytes(announcement, WorkerAnnouncementJson.Default.WorkerAnnouncement);

    /// <summary>
    /// Reads an announcement; false, never an exception, for anything that is not one (not JSON, a required field
    /// missing or null, a null model name), since the value comes from a shared Redis any process may write to.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out WorkerAnnouncement? announcement)
    {
        try
        {
            announcement = JsonSerializer.Deserialize(json, WorkerAnnouncementJson.Default.WorkerAnnouncement);
        }
        catch (JsonException)
        {
            announcement = null;
            return false;
        }

        // RespectNullableAnnotations covers the properties, not the list's elements.
        if (announcement is null || announcement.Models.Contains(null!))
        {
            announcement = null;
            return false;
        }

        return true;
    }
}
