using AiPlatform.Dashboard.Logs;

namespace AiPlatform.Dashboard.Tests.Logs;

/// <summary>A request's trace id links to its trace in the Aspire dashboard, when its address is known.</summary>
public sealed class TraceLinksTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static readonly Uri s_aspire = new("http://127.0.0.1:18888");

    [Fact]
    public void For_TraceIdAndAddress_TheTracesDetailPage() =>
        Assert.Equal(new Uri($"http://127.0.0.1:18888/traces/detail/{TraceId}"), TraceLinks.For(s_aspire, TraceId));

    [Fact]
    public void For_UpperCaseTraceId_LinkedInLowerCase() =>
        Assert.Equal(new Uri($"http://127.0.0.1:18888/traces/detail/{TraceId}"), TraceLinks.For(s_aspire, TraceId.ToUpperInvariant()));

    [Theory]
    [InlineData("http://proxy.example/aspire/")]
    [InlineData("http://proxy.example/aspire")]
    public void For_AddressWithAPath_KeepsThePath(string address) =>
        Assert.Equal(new Uri($"http://proxy.example/aspire/traces/detail/{TraceId}"), TraceLinks.For(new Uri(address), TraceId));

    [Fact]
    public void For_NoAddress_NoLink() =>
        Assert.Null(TraceLinks.For(null, TraceId));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e47366")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473g")]
    [InlineData("../../../../signout/0123456789abcdef")]
    public void For_NotATraceId_NoLink(string? traceId) =>
        Assert.Null(TraceLinks.For(s_aspire, traceId));
}
