using AiPlatform.Gateway.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>Outlier ejection of one target as a circuit breaker, on a clock the test moves.</summary>
public sealed class TargetCircuitTests
{
    private static readonly TimeSpan s_base = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();

    private long Now => _time.GetTimestamp();

    [Fact]
    public void OnFailure_ConsecutiveFailuresReached_Ejects()
    {
        var circuit = Circuit(consecutive: 3);

        Assert.False(circuit.OnFailure(Now, out _));
        Assert.False(circuit.OnFailure(Now, out _));
        Assert.True(circuit.AllowsRequest(Now));
        Assert.True(circuit.OnFailure(Now, out var ejection));

        Assert.Equal(s_base, ejection);
        Assert.True(circuit.IsEjected(Now));
        Assert.False(circuit.AllowsRequest(Now));
        Assert.False(circuit.TryEnter(Now, out _));
    }

    [Fact]
    public void OnFailure_SuccessBetweenFailures_CountStartsOver()
    {
        var circuit = Circuit(consecutive: 3);

        circuit.OnFailure(Now, out _);
        circuit.OnFailure(Now, out _);
        circuit.OnSuccess(Now);
        circuit.OnFailure(Now, out _);

        Assert.False(circuit.OnFailure(Now, out _));
        Assert.False(circuit.IsEjected(Now));
    }

    [Fact]
    public void OnFailure_FailureRatioReachedWithEnoughRequests_Ejects()
    {
        var circuit = Circuit(consecutive: 1000, ratio: 0.5, minimumRequests: 10);

        // Success and failure in turn: never two failures in a row, half of the requests failed.
        for (var i = 0; i < 4; i++)
        {
            circuit.OnSuccess(Now);
            Assert.False(circuit.OnFailure(Now, out _), $"ejected after {(2 * i) + 2} requests, fewer than the minimum");
        }

        circuit.OnSuccess(Now);

        Assert.True(circuit.OnFailure(Now, out _));
        Assert.True(circuit.IsEjected(Now));
    }

    [Fact]
    public void OnFailure_FailuresSpreadOverWindows_NotAddedUp()
    {
        var circuit = Circuit(consecutive: 1000, ratio: 0.5, minimumRequests: 10);

        for (var i = 0; i < 10; i++)
        {
            circuit.OnSuccess(Now);
            Assert.False(circuit.OnFailure(Now, out _));
            // Each pair in a window of its own: no window ever holds the minimum of requests.
            _time.Advance(TimeSpan.FromSeconds(11));
        }

        Assert.False(circuit.IsEjected(Now));
    }

    [Fact]
    public void TryEnter_EjectionOver_GivesExactlyOneProbe()
    {
        var circuit = EjectedCircuit();
        _time.Advance(s_base - TimeSpan.FromMilliseconds(1));
        Assert.False(circuit.AllowsRequest(Now));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(circuit.AllowsRequest(Now));
        Assert.True(circuit.TryEnter(Now, out var probe));
        Assert.True(probe);
        Assert.False(circuit.TryEnter(Now, out _));
        Assert.False(circuit.AllowsRequest(Now));
    }

    [Fact]
    public void OnSuccess_ProbeAnswers_Closes()
    {
        var circuit = EjectedCircuit();
        _time.Advance(s_base);
        circuit.TryEnter(Now, out _);

        circuit.OnSuccess(Now);

        Assert.False(circuit.IsEjected(Now));
        Assert.True(circuit.TryEnter(Now, out var probe));
        Assert.False(probe);
        Assert.True(circuit.TryEnter(Now, out _));
    }

    [Fact]
    public void OnFailure_ProbeFails_EjectedAgainForTwiceAsLong()
    {
        var circuit = EjectedCircuit();
        _time.Advance(s_base);
        circuit.TryEnter(Now, out _);

        Assert.True(circuit.OnFailure(Now, out var ejection));

        Assert.Equal(2 * s_base, ejection);
        _time.Advance((2 * s_base) - TimeSpan.FromMilliseconds(1));
        Assert.False(circuit.AllowsRequest(Now));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(circuit.AllowsRequest(Now));
    }

    [Fact]
    public void OnFailure_ProbesKeepFailing_EjectionDoublesUpToTheMaximum()
    {
        var circuit = Circuit(consecutive: 1, maxEjection: TimeSpan.FromSeconds(25));
        var ejections = new List<TimeSpan>();
        circuit.OnFailure(Now, out var first);
        ejections.Add(first);

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(ejections[^1]);
            Assert.True(circuit.TryEnter(Now, out var probe));
            Assert.True(probe);
            Assert.True(circuit.OnFailure(Now, out var next));
            ejections.Add(next);
        }

        Assert.Equal([5, 10, 20, 25, 25], ejections.Select(e => e.TotalSeconds));
    }

    [Fact]
    public void OnNeutral_ProbeToldNothing_ProbeGivenBack()
    {
        var circuit = EjectedCircuit();
        _time.Advance(s_base);
        circuit.TryEnter(Now, out _);

        circuit.OnNeutral();

        Assert.True(circuit.TryEnter(Now, out var probe));
        Assert.True(probe);
    }

    [Fact]
    public void OnFailure_CleanWindowAfterRecovery_NextEjectionIsTheBaseAgain()
    {
        var circuit = EjectedCircuit();
        _time.Advance(s_base);
        circuit.TryEnter(Now, out _);
        circuit.OnSuccess(Now);
        // A whole window of successes forgives the past ejection.
        _time.Advance(TimeSpan.FromSeconds(11));
        circuit.OnSuccess(Now);
        _time.Advance(TimeSpan.FromSeconds(11));
        circuit.OnSuccess(Now);

        circuit.OnFailure(Now, out _);
        circuit.OnFailure(Now, out _);
        Assert.True(circuit.OnFailure(Now, out var ejection));

        Assert.Equal(s_base, ejection);
    }

    /// <summary>A circuit with a 10 s window, just ejected by three consecutive failures.</summary>
    private TargetCircuit EjectedCircuit()
    {
        var circuit = Circuit(consecutive: 3);
        circuit.OnFailure(Now, out _);
        circuit.OnFailure(Now, out _);
        Assert.True(circuit.OnFailure(Now, out _));
        return circuit;
    }

    private TargetCircuit Circuit(int consecutive, double ratio = 0.5, int minimumRequests = 1000, TimeSpan? maxEjection = null) =>
        new(new OutlierOptions
        {
            ConsecutiveFailures = consecutive,
            FailureRatio = ratio,
            MinimumRequests = minimumRequests,
            Window = TimeSpan.FromSeconds(10),
            BaseEjection = s_base,
            MaxEjection = maxEjection ?? TimeSpan.FromMinutes(2),
        }, _time);
}
