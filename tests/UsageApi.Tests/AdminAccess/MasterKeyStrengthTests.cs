using AiPlatform.UsageApi.Admin;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// A master key short enough to be guessed stops UsageApi's start, saying how to make a good one. A plain host rather
/// than WebApplicationFactory: when the app's own start fails, the factory may report an ObjectDisposedException instead.
/// </summary>
public sealed class MasterKeyStrengthTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    public async Task Start_MasterKeyShorterThan32_FailsSayingHowToMakeOne(int length)
    {
        var masterKey = MasterKeyOf(length);

        var error = await StartAsync(masterKey);

        Assert.NotNull(error);
        var message = error.ToString();
        Assert.Contains("AIPLATFORM_MASTER_KEY", message, StringComparison.Ordinal);
        Assert.Contains("shorter than 32 characters", message, StringComparison.Ordinal);
        Assert.Contains("openssl rand", message, StringComparison.Ordinal);
        // The refused key is a secret all the same: not in the message.
        Assert.DoesNotContain(masterKey, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public async Task Start_MasterKeyOf32OrMore_Starts(int length) =>
        Assert.Null(await StartAsync(MasterKeyOf(length)));

    private static async Task<Exception?> StartAsync(string masterKey)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AIPLATFORM_MASTER_KEY"] = masterKey;
        builder.AddAdminApi();
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());
        if (error is null)
        {
            await host.StopAsync();
        }

        return error;
    }

    /// <summary>A key of <paramref name="length"/> characters that no message would hold by chance.</summary>
    private static string MasterKeyOf(int length) => string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i * 7 % 26))));
}
