using AiPlatform.InferenceWorker.Api;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// The simulator's one tokenizer, used for prompt tokens, for the pieces an answer is streamed in and for usage, so
/// that streamed pieces add up to <c>completion_tokens</c>.
/// </summary>
/// <remarks>
/// <para>The rule. Text is cut into tokens from left to right; a token is</para>
/// <list type="number">
/// <item>any run of whitespace (possibly empty) followed by a maximal run of letters and digits
/// (<see cref="char.IsLetterOrDigit(char)"/>), or</item>
/// <item>any run of whitespace (possibly empty) followed by one other character (a surrogate pair counts as one), or</item>
/// <item>a run of whitespace that ends the text.</item>
/// </list>
/// <para>Examples: <c>"Hello, world!"</c> is <c>"Hello" "," " world" "!"</c> (4 tokens);
/// <c>"  two  spaces "</c> is <c>"  two" "  spaces" " "</c> (3); <c>"déjà-vu 42"</c> is <c>"déjà" "-" "vu" " 42"</c> (4);
/// the empty string is 0 tokens.</para>
/// <para>Chat prompts count <see cref="MessageOverhead"/> tokens per message plus the tokens of its role and content,
/// and <see cref="ReplyOverhead"/> more for priming the assistant's reply (OpenAI's published rule of thumb for its
/// chat format).</para>
/// </remarks>
internal static class SimulatorTokenizer
{
    public const int MessageOverhead = 3;
    public const int ReplyOverhead = 3;

    /// <summary>The length in chars of the token that starts <paramref name="text"/>, or 0 when it is empty.</summary>
    public static int NextTokenLength(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return i;
        }

        if (char.IsLetterOrDigit(text[i]))
        {
            do
            {
                i++;
            }
            while (i < text.Length && char.IsLetterOrDigit(text[i]));
            return i;
        }

        return char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? i + 2 : i + 1;
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            text = text[NextTokenLength(text)..];
            count++;
        }

        return count;
    }

    /// <summary>The tokens of <paramref name="text"/>, in order; they concatenate to the text.</summary>
    public static List<string> Split(string text)
    {
        var tokens = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var length = NextTokenLength(text.AsSpan(start));
            tokens.Add(text.Substring(start, length));
            start += length;
        }

        return tokens;
    }

    /// <summary>Prompt tokens of a chat: each message's role and content plus the fixed overheads.</summary>
    public static int CountChat(IReadOnlyList<ChatMessage> messages)
    {
        var count = ReplyOverhead;
        foreach (var message in messages)
        {
            count += MessageOverhead + Count(message.Role) + Count(message.Content);
        }

        return count;
    }
}
