using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// The built-in words simulated answers are made of, kept as UTF-8 pieces that are each exactly one token of
/// <see cref="SimulatorTokenizer"/>: a word with its leading space, the same capitalised, the first word of an
/// answer without a space, and punctuation. Holding them once as bytes lets a stream write its tokens without
/// allocating.
/// </summary>
internal static class Vocabulary
{
    private static readonly string[] s_words =
    [
        "the", "model", "answer", "token", "stream", "request", "gateway", "worker", "latency", "simulated",
        "response", "queue", "prompt", "cache", "route", "budget", "usage", "time", "first", "next",
        "a", "of", "to", "and", "is", "in", "for", "with", "on", "as",
        "this", "that", "each", "every", "when", "then", "while", "after", "before", "again",
        "fast", "slow", "small", "large", "quiet", "steady", "simple", "clear", "early", "late",
        "server", "client", "engine", "batch", "sequence", "signal", "metric", "trace", "record", "ledger",
        "returns", "waits", "sends", "reads", "counts", "stops", "starts", "flows", "holds", "moves",
    ];

    /// <summary><c>" word"</c>, inside a sentence.</summary>
    public static readonly byte[][] Lower = [.. s_words.Select(w => Encoding.UTF8.GetBytes(" " + w))];

    /// <summary><c>" Word"</c>, starting a sentence after the first.</summary>
    public static readonly byte[][] Capital = [.. s_words.Select(w => Encoding.UTF8.GetBytes(" " + Capitalise(w)))];

    /// <summary><c>"Word"</c>, starting the answer.</summary>
    public static readonly byte[][] Initial = [.. s_words.Select(w => Encoding.UTF8.GetBytes(Capitalise(w)))];

    public static readonly byte[] Comma = ","u8.ToArray();
    public static readonly byte[] Period = "."u8.ToArray();

    public static int Count => s_words.Length;

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
