using System.Buffers.Binary;
using AiPlatform.Testing.Browser;

namespace AiPlatform.Dashboard.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class BrowserFixtureTests(BrowserFixture browser)
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task RunAsync_BodyThrows_SavesFullPageScreenshotAndRethrows()
    {
        var directory = Directory.CreateTempSubdirectory("aiplatform-screenshots-").FullName;
        try
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => browser.RunAsync(
                async page =>
                {
                    // Taller than the 720-pixel viewport, so only a full-page screenshot is this tall.
                    await page.SetContentAsync("<h1>failing</h1><div style=\"height: 3000px\"></div>");
                    throw new InvalidOperationException("the test body failed");
                },
                "Some/Test",
                directory));

            Assert.Equal("the test body failed", thrown.Message);
            var png = await File.ReadAllBytesAsync(Path.Combine(directory, "Some_Test.png"));
            Assert.Equal(s_pngSignature, png[..8]);
            // IHDR is the first chunk: width at byte 16, height at byte 20, both big-endian.
            Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)) >= 3000, "the screenshot is not of the full page");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_BodySucceeds_SavesNoScreenshot()
    {
        var directory = Directory.CreateTempSubdirectory("aiplatform-screenshots-").FullName;
        try
        {
            await browser.RunAsync(page => page.SetContentAsync("<h1>passing</h1>"), "Passing", directory);

            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
