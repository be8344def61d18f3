using System.Buffers;
using System.Text;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Streaming;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace AiPlatform.Fuzz.Tests.Gateway;

/// <summary>
/// The SSE scanner on upstream bytes, fed as <c>SseRelay</c> feeds it (append a read, scan, keep the incomplete rest),
/// with the cache's <see cref="StreamAssembler"/> behind it as the capture: arbitrary bytes in arbitrary reads never
/// throw, and a valid stream gives the same output, usage, counts and rebuilt answer however it is split.
/// </summary>
public sealed class SseProperties(ITestOutputHelper output)
{
    public sealed record Stream(FuzzInput Bytes, IReadOnlyList<int> Reads)
    {
        public override string ToString() => $"{Bytes}\n  reads: {string.Join(",", Reads)}";
    }

    private sealed record Result(string Output, TokenUsage? Usage, bool SawDone, int DataEvents, string? Answer, bool Cacheable, int Left);

    private sealed class AssemblerCapture(StreamAssembler assembler) : IResponseCapture
    {
        public void OnJsonBody(ReadOnlySpan<byte> body) => UsageReader.TryRead(body, out _, out _);

        public void OnStreamData(ReadOnlySpan<byte> data) => assembler.Add(data);

        public void OnErrorAnswer(ReadOnlySpan<byte> body)
        {
        }

        public void OnErrorAnswer(ApiError error)
        {
        }
    }

    private static readonly string[] s_tokens =
        ["data: ", "data:", "\n", "\r\n", "\n\n", "\r\n\r\n", "[DONE]", ": keep-alive", "event: x", "id: 1", "{\"usage\":", "\"usage\"", ":", "{", "}",
         "{\"usage\":{\"prompt_tokens\":", "{\"choices\":[{\"index\":", "\"delta\":{\"content\":", "}]}", ",", "\"finish_reason\":\"stop\""];

    private static Gen<Stream> Split(Gen<FuzzInput> bytes) =>
        bytes.SelectMany(b => Generators.UpTo(Gen.Choose(0, Math.Max(0, b.Bytes.Length)), 12).Select(reads => new Stream(b, reads)));

    [Fact]
    public void Scan_ArbitraryBytesInArbitraryReads_NeverThrows()
    {
        var piece = Gen.Frequency(
            (6, Gen.Elements(s_tokens)),
            (4, HostileEvent()),
            (3, Generators.Value(hostile: true).Select(v => v.Render())),
            (1, Gen.ArrayOf(Generators.Byte).Select(b => Encoding.Latin1.GetString(b))));
        var bytes = Gen.Frequency(
            (1, Generators.Bytes()),
            (4, Generators.UpTo(piece, 20).Select(p => new FuzzInput(Encoding.UTF8.GetBytes(string.Concat(p))))));
        FuzzRunner.Run(output, "gateway.sse.bytes", Split(bytes).ToArbitrary(), input => Scan(input.Bytes.Bytes, input.Reads, hide: true));
    }

    [Fact]
    public void Scan_ValidStreamSplitAnywhere_SameResultAsUnsplit()
    {
        var streams = Gen.Zip(ValidStream(), Gen.Elements(true, false));
        var cases = streams.SelectMany(t => Split(Gen.Constant(t.Item1)).Select(s => (s, t.Item2)));
        FuzzRunner.Run(output, "gateway.sse.split", cases.ToArbitrary(), input =>
        {
            var whole = Scan(input.s.Bytes.Bytes, [], input.Item2);
            var split = Scan(input.s.Bytes.Bytes, input.s.Reads, input.Item2);
            Assert.Equal(whole, split);
            Assert.True(whole.SawDone);
            Assert.Equal(0, whole.Left);
        });
    }

    /// <summary>A whole <c>data:</c> event whose chunk has the real fields (choices, index, delta, usage counts) with hostile values.</summary>
    private static Gen<string> HostileEvent()
    {
        var number = Generators.Number(hostile: true).Select(n => n.Render());
        var value = Generators.Value(hostile: true).Select(v => v.Render());
        var text = Generators.Text(hostile: true);
        var usage = Gen.Zip(number, Gen.Zip(number, number)).Select(t =>
            $$"""{"prompt_tokens":{{t.Item1}},"completion_tokens":{{t.Item2.Item1}},"total_tokens":{{t.Item2.Item2}}}""");
        var choice = Gen.Zip(number, Gen.Zip(text, Gen.Zip(value, Gen.Elements("content", "role", "tool_calls", "refusal")))).Select(t =>
            $$"""{"index":{{t.Item1}},"delta":{"{{t.Item2.Item2.Item2}}":"{{t.Item2.Item1}}","x":{{t.Item2.Item2.Item1}}},"text":"{{t.Item2.Item1}}","finish_reason":"stop","logprobs":null}""");
        return Gen.Zip(Generators.UpTo(choice, 3), Gen.Zip(Gen.OneOf(usage, value), Gen.Zip(value, Gen.Elements("\n\n", "\r\n\r\n")))).Select(t =>
            $$"""data: {"id":{{t.Item2.Item2.Item1}},"created":{{t.Item2.Item2.Item1}},"choices":[{{string.Join(",", t.Item1)}}],"usage":{{t.Item2.Item1}}}""" + t.Item2.Item2.Item2);
    }

    /// <summary>Chat chunks with text, a finishing chunk, the usage chunk, comments, <c>[DONE]</c>; LF or CRLF framing.</summary>
    private static Gen<FuzzInput> ValidStream()
    {
        var content = Generators.Text(hostile: false);
        var chunk = Gen.Zip(Gen.Choose(0, 2), content).Select(t =>
            $$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":{{t.Item1}},"delta":{"content":"{{t.Item2}}"},"finish_reason":null}]}""");
        var events = Gen.Frequency((8, chunk), (1, Gen.Constant(": ping")));
        return Gen.Zip(Generators.UpTo(events, 12), Gen.Zip(Gen.Choose(0, 5000), Gen.Elements("\n", "\r\n"))).Select(t =>
        {
            var (items, (tokens, newline)) = t;
            var text = new StringBuilder();
            foreach (var item in items)
            {
                text.Append(item.StartsWith(':') ? item : "data: " + item).Append(newline).Append(newline);
            }

            for (var index = 0; index < 3; index++)
            {
                text.Append($$"""data: {"id":"c1","created":1,"model":"m","choices":[{"index":{{index}},"delta":{},"finish_reason":"stop"}]}""").Append(newline).Append(newline);
            }

            text.Append($$$"""data: {"id":"c1","choices":[],"usage":{"prompt_tokens":{{{tokens}}},"completion_tokens":7,"total_tokens":{{{tokens + 7}}}}}""")
                .Append(newline).Append(newline).Append("data: [DONE]").Append(newline).Append(newline);
            return FuzzInput.Of(text.ToString());
        });
    }

    private static Result Scan(byte[] stream, IReadOnlyList<int> reads, bool hide)
    {
        var assembler = new StreamAssembler(InferenceOperation.ChatCompletions);
        var scanner = new SseEventScanner(hide, new AssemblerCapture(assembler));
        var output = new ArrayBufferWriter<byte>();
        var pending = Array.Empty<byte>();
        var at = 0;
        foreach (var end in reads.Order().Append(stream.Length))
        {
            if (end < at)
            {
                continue;
            }

            pending = [.. pending, .. stream.AsSpan(at, end - at)];
            at = end;
            var consumed = scanner.Scan(pending, output);
            Assert.InRange(consumed, 0, pending.Length);
            pending = pending[consumed..];
        }

        var answer = assembler.Build();
        return new Result(Encoding.UTF8.GetString(output.WrittenSpan), scanner.Usage, scanner.SawDone, scanner.DataEvents,
            answer is null ? null : Encoding.UTF8.GetString(answer), assembler.Cacheable, pending.Length);
    }
}
