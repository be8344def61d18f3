using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Buffers;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Caching;

/// <summary>
/// The cache key of a request: SHA-256 over its scope, its operation and its canonical JSON. Canonical means object
/// members sorted by name at every depth, strings re-encoded one way, no whitespace; so field order and formatting do
/// not matter while every value does. Fields that do not change the answer are left out: <c>stream</c> and
/// <c>stream_options</c> (a cached answer is served streamed or not), and <c>user</c>, <c>store</c>,
/// <c>metadata</c> (bookkeeping for the provider).
/// </summary>
public static class CacheKey
{
    private const string Prefix = "aig:cache:";

    // Room for the canonical form's usual size (the body less its whitespace, plus the member names kept for sorting).
    private const int ScratchHeadroom = 256;

    private static bool IsIgnored(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("stream"u8) || name.SequenceEqual("stream_options"u8) || name.SequenceEqual("user"u8)
        || name.SequenceEqual("store"u8) || name.SequenceEqual("metadata"u8);

    /// <summary>
    /// <c>aig:cache:{scope}:{hex}</c>; the scope is the caller's key id or its shared namespace. A body that names no
    /// model (a moderation) has the model it was given, <paramref name="omittedModel"/>, in its key, so that an answer
    /// cached under one default is not served once the default changes.
    /// </summary>
    public static string For(string scope, InferenceOperation operation, ReadOnlySpan<byte> body, string? callerKey, string? omittedModel = null)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (callerKey is not null)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes($"{operation}\ncaller\n{callerKey}"), hash);
        }
        else
        {
            HashCanonical(operation, body, omittedModel, hash);
        }

        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        return string.Concat(Prefix, scope, ":", hex);
    }

    /// <summary>The canonical form itself, for tests and diagnostics.</summary>
    public static string Canonicalize(ReadOnlySpan<byte> body)
    {
        using var output = new PooledBufferWriter(body.Length + ScratchHeadroom, ArrayPool<byte>.Shared);
        WriteCanonical(body, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void HashCanonical(InferenceOperation operation, ReadOnlySpan<byte> body, string? omittedModel, Span<byte> hash)
    {
        using var output = new PooledBufferWriter(body.Length + ScratchHeadroom, ArrayPool<byte>.Shared);
        WriteUtf8(output, operation.UpstreamPath());
        output.Write("\n"u8);
        if (omittedModel is not null)
        {
            output.Write("omitted model "u8);
            WriteUtf8(output, omittedModel);
            output.Write("\n"u8);
        }

        WriteCanonical(body, output);
        SHA256.HashData(output.WrittenSpan, hash);
    }

    private static void WriteUtf8(PooledBufferWriter output, string text) =>
        output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));

    private static void WriteCanonical(ReadOnlySpan<byte> body, PooledBufferWriter output)
    {
        using var canonical = new CanonicalWriter(body, output);
        canonical.WriteDocument();
    }

    /// <summary>
    /// Writes the canonical form in one pass of a <see cref="Utf8JsonReader"/>, without a DOM. An object's members are
    /// written as they come, each after its unescaped name (the sort key), then moved into name order once the object
    /// ends; structure, numbers and literals are copied as written, and strings go through a
    /// <see cref="Utf8JsonWriter"/> so that they are escaped exactly as they always were.
    /// </summary>
    private ref struct CanonicalWriter
    {
        private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = true };

        private readonly PooledBufferWriter _output;
        private readonly Utf8JsonWriter _strings;
        private Utf8JsonReader _reader;
        private Member[] _members = ArrayPool<Member>.Shared.Rent(16);
        private int _memberCount;
        private byte[] _unescaped = [];

        public CanonicalWriter(ReadOnlySpan<byte> body, PooledBufferWriter output)
        {
            _output = output;
            _strings = new Utf8JsonWriter(output, s_writerOptions);
            _reader = new Utf8JsonReader(body);
        }

        public void WriteDocument()
        {
            _reader.Read();
            WriteValue(topLevel: true);
        }

        public readonly void Dispose()
        {
            _strings.Dispose();
            ArrayPool<Member>.Shared.Return(_members, clearArray: true);
            ReturnUnescaped();
        }

        private void WriteValue(bool topLevel)
        {
            switch (_reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    WriteObject(topLevel);
                    break;
                case JsonTokenType.StartArray:
                    _output.Write("["u8);
                    for (var first = true; _reader.Read() && _reader.TokenType != JsonTokenType.EndArray; first = false)
                    {
                        if (!first)
                        {
                            _output.Write(","u8);
                        }

                        WriteValue(topLevel: false);
                    }

                    _output.Write("]"u8);
                    break;
                case JsonTokenType.String:
                    WriteString(Unescaped());
                    break;
                default:
                    // A number keeps its text as written (1.0 is not 1), as JsonElement.WriteTo kept it; true, false
                    // and null are their own text.
                    _output.Write(_reader.ValueSpan);
                    break;
            }
        }

        private void WriteObject(bool topLevel)
        {
            var start = _output.WrittenCount;
            var firstMember = _memberCount;
            while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Unescaped();
                if (topLevel && IsIgnored(name))
                {
                    _reader.Skip();
                    continue;
                }

                var nameStart = _output.WrittenCount;
                _output.Write(name);
                var memberStart = _output.WrittenCount;
                WriteString(name);
                _output.Write(":"u8);
                _reader.Read();
                WriteValue(topLevel: false);
                AddMember(new Member(nameStart - start, name.Length, memberStart - start, _output.WrittenCount - memberStart));
            }

            // The members move to a copy, from which they come back in order, without the names written for sorting.
            var written = _output.WrittenSpan[start..];
            var copy = ArrayPool<byte>.Shared.Rent(written.Length);
            written.CopyTo(copy);
            var members = _members.AsSpan(firstMember, _memberCount - firstMember);
            foreach (ref var member in members)
            {
                member.Source = copy;
            }

            members.Sort(Member.Compare);
            _output.Truncate(start);
            _output.Write("{"u8);
            for (var i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    _output.Write(","u8);
                }

                _output.Write(members[i].Rendered);
            }

            _output.Write("}"u8);
            ArrayPool<byte>.Shared.Return(copy);
            _memberCount = firstMember;
        }

        /// <summary>The current string or name as UTF-8 text, valid until the next call.</summary>
        private ReadOnlySpan<byte> Unescaped()
        {
            if (!_reader.ValueIsEscaped)
            {
                return _reader.ValueSpan;
            }

            // Unescaped, a string never has more bytes than its escaped form.
            if (_unescaped.Length < _reader.ValueSpan.Length)
            {
                ReturnUnescaped();
                _unescaped = ArrayPool<byte>.Shared.Rent(_reader.ValueSpan.Length);
            }

            return _unescaped.AsSpan(0, _reader.CopyString(_unescaped));
        }

        /// <summary>
        /// One string, escaped as <see cref="Utf8JsonWriter"/> escapes it; the writer is reset after each so that it
        /// never adds a separator of its own. Names are escaped the same way as values.
        /// </summary>
        private readonly void WriteString(ReadOnlySpan<byte> utf8)
        {
            _strings.WriteStringValue(utf8);
            _strings.Flush();
            _strings.Reset();
        }

        private readonly void ReturnUnescaped()
        {
            if (_unescaped.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_unescaped);
            }
        }

        private void AddMember(Member member)
        {
            if (_memberCount == _members.Length)
            {
                var larger = ArrayPool<Member>.Shared.Rent(_members.Length * 2);
                _members.CopyTo(larger, 0);
                ArrayPool<Member>.Shared.Return(_members, clearArray: true);
                _members = larger;
            }

            _members[_memberCount++] = member;
        }
    }

    /// <summary>
    /// A member written in its object's region: its unescaped name and, after it, its canonical <c>"name":value</c>;
    /// offsets are from the region's start, in <see cref="Source"/> once the object is complete.
    /// </summary>
    private struct Member(int nameStart, int nameLength, int start, int length)
    {
        public byte[]? Source;

        private readonly int _nameStart = nameStart;
        private readonly int _nameLength = nameLength;
        private readonly int _start = start;
        private readonly int _length = length;

        public readonly ReadOnlySpan<byte> Rendered => Source.AsSpan(_start, _length);

        private readonly ReadOnlySpan<byte> Name => Source.AsSpan(_nameStart, _nameLength);

        /// <summary>
        /// Names in UTF-8 byte order, which is code point order. String.CompareOrdinal (UTF-16 order), used before,
        /// differs only between a character above U+FFFF and one in U+E000 to U+FFFF; both orders are deterministic.
        /// Equal names (a duplicated member) keep their order in the body, so both count and the key does not depend
        /// on the sort.
        /// </summary>
        public static int Compare(Member a, Member b)
        {
            var byName = a.Name.SequenceCompareTo(b.Name);
            return byName != 0 ? byName : a._start.CompareTo(b._start);
        }
    }
}
