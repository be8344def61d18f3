using Microsoft.ML.OnnxRuntime;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// One sequence in generation: the first run reads the whole prompt (prefill), each later run the one token chosen
/// last, with the KV cache the previous run returned passed back in as ONNX Runtime's own tensors, never copied. A
/// graph without a cache is run on the whole sequence every step instead. Cancellation stops a run in progress
/// (<see cref="RunOptions.Terminate"/>). Not thread-safe: one per choice; runs of different sequences on the same
/// session go in parallel.
/// </summary>
internal sealed class DecoderSequence : IDisposable
{
    private static long[] s_ones = OnesOf(4096);

    private readonly InferenceSession _session;
    private readonly DecoderGraph _graph;
    private readonly RunOptions _run = new();
    private readonly List<long> _tokens;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private int _seen;
    private IDisposableReadOnlyCollection<OrtValue>? _previous;

    public DecoderSequence(InferenceSession session, DecoderGraph graph, IReadOnlyList<int> prompt)
    {
        _session = session;
        _graph = graph;
        _tokens = [.. prompt.Select(t => (long)t)];

        _inputNames = ["input_ids", .. graph.HasAttentionMask ? ["attention_mask"] : Array.Empty<string>(),
            .. graph.HasPositionIds ? ["position_ids"] : Array.Empty<string>(), .. graph.HasCacheBranch ? ["use_cache_branch"] : Array.Empty<string>(),
            .. graph.PastNames];
        _outputNames = ["logits", .. graph.PresentNames];
    }

    /// <summary>Tokens of the sequence so far, prompt included.</summary>
    public int Length => _tokens.Count;

    /// <summary>Adds the token chosen from the last run's logits; the next run reads it.</summary>
    public void Append(int token) => _tokens.Add(token);

    /// <summary>Runs the model on what it has not read yet and copies the last position's logits into <paramref name="logits"/>.</summary>
    public void Forward(Span<float> logits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var past = _graph.HasKvCache ? _seen : 0;
        var fresh = _tokens.Count - past;
        var inputs = new List<OrtValue>(_inputNames.Length);
        var made = new List<OrtValue>(_inputNames.Length);
        OrtValue Made(OrtValue value)
        {
            made.Add(value);
            return value;
        }

        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            inputs.Add(Made(Int64s([.. _tokens.Skip(past)], fresh)));
            if (_graph.HasAttentionMask)
            {
                inputs.Add(Made(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Ones(past + fresh), [1, past + fresh])));
            }

            if (_graph.HasPositionIds)
            {
                inputs.Add(Made(Int64s([.. Enumerable.Range(past, fresh).Select(p => (long)p)], fresh)));
            }

            if (_graph.HasCacheBranch)
            {
                inputs.Add(Made(OrtValue.CreateTensorValueFromMemory(new[] { past > 0 }, [1])));
            }

            var empty = new long[] { 1, _graph.KvHeads, 0, _graph.HeadSize };
            for (var i = 0; i < _graph.PastNames.Length; i++)
            {
                // The previous run's present tensors are this run's past; they stay owned by _previous.
                inputs.Add(_previous is null ? Made(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), empty)) : _previous[i + 1]);
            }

            using var stop = cancellationToken.Register(static run => ((RunOptions)run!).Terminate = true, _run);
            try
            {
                outputs = _session.Run(_run, _inputNames, inputs, _outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            // The past taken from the previous outputs is disposed with them, below.
            foreach (var value in made)
            {
                value.Dispose();
            }
        }

        _previous?.Dispose();
        _previous = outputs;
        _seen = _tokens.Count;
        var all = outputs[0].GetTensorDataAsSpan<float>();
        all[^logits.Length..].CopyTo(logits);
    }

    public void Dispose()
    {
        _previous?.Dispose();
        _run.Dispose();
    }

    private static OrtValue Int64s(long[] values, int length) => OrtValue.CreateTensorValueFromMemory(values, [1, length]);

    /// <summary>
    /// A mask of <paramref name="length"/> ones from one buffer every sequence shares (ONNX Runtime only reads inputs),
    /// grown by doubling: a mask per step would otherwise cost an allocation as long as the sequence.
    /// </summary>
    private static Memory<long> Ones(int length)
    {
        var ones = s_ones;
        if (ones.Length < length)
        {
            // Racing sequences may each grow it; every buffer they make is all ones, so any of them serves.
            s_ones = ones = OnesOf(Math.Max(length, ones.Length * 2));
        }

        return ones.AsMemory(0, length);
    }

    private static long[] OnesOf(int length)
    {
        var ones = new long[length];
        Array.Fill(ones, 1L);
        return ones;
    }
}
