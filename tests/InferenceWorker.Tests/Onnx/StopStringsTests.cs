using AiPlatform.InferenceWorker.Engines.Onnx;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

public sealed class StopStringsTests
{
    [Fact]
    public void Push_StopSplitOverPieces_HoldsItsStartBackAndEndsBeforeIt()
    {
        var stops = new StopStrings(["END"]);

        Assert.Equal("Hello ", stops.Push("Hello E"));
        Assert.Equal("", stops.Push("N"));
        Assert.Equal("", stops.Push("D and more"));
        Assert.True(stops.Stopped);
    }

    [Fact]
    public void Push_StartThatDoesNotBecomeAStop_IsReleasedWithTheNextPiece()
    {
        var stops = new StopStrings(["END"]);

        Assert.Equal("Hello ", stops.Push("Hello EN"));
        Assert.Equal("ENough", stops.Push("ough"));
        Assert.False(stops.Stopped);
        Assert.Equal("", stops.Flush());
    }

    [Fact]
    public void Push_TwoStops_TheEarlierInTheTextWins()
    {
        var stops = new StopStrings(["b", "a"]);

        Assert.Equal("x", stops.Push("xab"));
    }

    [Fact]
    public void Flush_AnswerEndsOnAStopsStart_GivesTheHeldText()
    {
        var stops = new StopStrings(["###"]);

        Assert.Equal("done", stops.Push("done##"));
        Assert.Equal("##", stops.Flush());
    }

    [Fact]
    public void Push_NoStops_PassesEverything()
    {
        Assert.Equal("abc", new StopStrings([]).Push("abc"));
    }
}
