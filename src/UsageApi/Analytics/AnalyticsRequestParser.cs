using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Ledger;
using Microsoft.Extensions.Primitives;
using static AiPlatform.UsageApi.Admin.RequestErrors;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// Reads the query parameters of the analytics endpoints. Every bad parameter is a 400 in OpenAI's shape naming it
/// (<c>param</c>); parameters the endpoints do not know are ignored.
/// </summary>
public static partial class AnalyticsRequestParser
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Prefix of the metadata filters: <c>metadata.team=search</c>.</summary>
    public const string MetadataPrefix = "metadata.";

    public const int MaxMetadataFilters = 4;
    public const int MaxMetadataNameLength = 64;

    /// <summary>The range when <c>from</c> is not given: the 24 hours before <c>to</c> (itself now by default).</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    /// <summary>
    /// <c>from</c>, <c>to</c> (ISO 8601; without an offset, UTC), <c>key</c>, <c>model</c>, <c>status</c> (a code such as
    /// <c>429</c> or a class such as <c>5xx</c>), <c>cached</c> and <c>stream</c> (<c>true</c>/<c>false</c>), <c>target</c>,
    /// <c>path</c> (the request's path, matched exactly: <c>/v1/images/generations</c>), <c>trace_id</c> (32 lowercase hex
    /// digits), and up to <see cref="MaxMetadataFilters"/> <c>metadata.{name}={value}</c>, a top-level member of the
    /// record's metadata compared as text (<c>metadata.n=42</c> matches <c>{"n": 42}</c>).
    /// </summary>
    public static bool TryParseFilter(IQueryCollection query, DateTimeOffset now, [NotNullWhen(true)] out UsageFilter? filter, [NotNullWhen(false)] out ApiError? error)
    {
        filter = null;
        if (!TryGetTime(query, "to", out var to, out error) || !TryGetTime(query, "from", out var from, out error)
            || !TryGetText(query, "key", out var key, out error) || !TryGetText(query, "model", out var model, out error)
            || !TryGetStatus(query, out var statusFrom, out var statusTo, out error)
            || !TryGetBoolean(query, "cached", out var cached, out error) || !TryGetBoolean(query, "stream", out var stream, out error)
            || !TryGetText(query, "target", out var target, out error) || !TryGetText(query, "path", out var path, out error)
            || !TryGetTraceId(query, out var traceId, out error) || !TryGetMetadata(query, out var metadata, out error))
        {
            return false;
        }

        var end = to ?? now;
        var start = from ?? end - DefaultRange;
        if (start >= end)
        {
            error = InvalidValue("from", "must be before 'to'");
            return false;
        }

        filter = new UsageFilter(start, end, key, model, statusFrom, statusTo, cached, stream, target, path, traceId, metadata);
        return true;
    }

    /// <summary><c>limit</c> (1 to 1000, default 100) and <c>cursor</c> (the <c>next_cursor</c> of the previous page).</summary>
    public static bool TryParsePage(IQueryCollection query, out int limit, out UsageCursor? cursor, [NotNullWhen(false)] out ApiError? error)
    {
        limit = DefaultLimit;
        cursor = null;
        if (!TryGetSingle(query, "limit", out var limitText, out error) || !TryGetSingle(query, "cursor", out var cursorText, out error))
        {
            return false;
        }

        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            error = InvalidValue("limit", $"must be an integer from 1 to {MaxLimit}");
            return false;
        }

        if (cursorText is not null && !UsageCursor.TryDecode(cursorText, out cursor))
        {
            error = InvalidValue("cursor", "is not a cursor this API gave out; pass 'next_cursor' of the previous page unchanged");
            return false;
        }

        return true;
    }

    /// <summary><c>group_by</c>: <c>model</c> (default), <c>key</c>, <c>day</c>, <c>hour</c> or <c>none</c> (the totals).</summary>
    public static bool TryParseGrouping(IQueryCollection query, out UsageGrouping grouping, [NotNullWhen(false)] out ApiError? error)
    {
        grouping = UsageGrouping.Model;
        if (!TryGetSingle(query, "group_by", out var text, out error))
        {
            return false;
        }

        switch (text)
        {
            case null or "model":
                return true;
            case "key":
                grouping = UsageGrouping.Key;
                return true;
            case "day":
                grouping = UsageGrouping.Day;
                return true;
            case "hour":
                grouping = UsageGrouping.Hour;
                return true;
            case "none":
                grouping = UsageGrouping.None;
                return true;
            default:
                error = InvalidValue("group_by", "must be one of model, key, day, hour, none");
                return false;
        }
    }

    /// <summary><c>bucket</c>: <c>minute</c>, <c>hour</c> (default) or <c>day</c>, with the range capped (<see cref="UsageBuckets.MaxRange"/>).</summary>
    public static bool TryParseBucket(IQueryCollection query, UsageFilter filter, out UsageBucket bucket, [NotNullWhen(false)] out ApiError? error)
    {
        bucket = UsageBucket.Hour;
        if (!TryGetSingle(query, "bucket", out var text, out error))
        {
            return false;
        }

        switch (text)
        {
            case null or "hour":
                break;
            case "minute":
                bucket = UsageBucket.Minute;
                break;
            case "day":
                bucket = UsageBucket.Day;
                break;
            default:
                error = InvalidValue("bucket", "must be one of minute, hour, day");
                return false;
        }

        var maxRange = UsageBuckets.MaxRange(bucket);
        if (filter.To - filter.From > maxRange)
        {
            error = InvalidValue("from", $"with bucket={text ?? "hour"} the range from 'from' to 'to' may span at most {maxRange.TotalDays:0.##} day(s); narrow it or use a wider bucket");
            return false;
        }

        return true;
    }

    internal static bool TryGetTime(IQueryCollection query, string name, out DateTimeOffset? time, [NotNullWhen(false)] out ApiError? error)
    {
        time = null;
        if (!TryGetSingle(query, name, out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        // A '+' of an offset arrives as a space when the client did not percent-encode it (…T10:00:00+02:00).
        text = SpacedOffset().Replace(text, "$1+$2");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            || parsed < UsageEventLimits.MinTimestamp || parsed > UsageEventLimits.MaxTimestamp)
        {
            error = InvalidValue(name, "must be an ISO 8601 date and time between 2000 and 2100, such as 2026-01-31T12:00:00Z");
            return false;
        }

        time = parsed;
        return true;
    }

    internal static bool TryGetText(IQueryCollection query, string name, out string? value, [NotNullWhen(false)] out ApiError? error)
    {
        if (!TryGetSingle(query, name, out value, out error))
        {
            return false;
        }

        if (value is { Length: 0 or > UsageEventLimits.MaxTextLength })
        {
            error = InvalidValue(name, $"must be 1 to {UsageEventLimits.MaxTextLength} characters");
            return false;
        }

        return true;
    }

    private static bool TryGetStatus(IQueryCollection query, out int? from, out int? to, [NotNullWhen(false)] out ApiError? error)
    {
        from = to = null;
        if (!TryGetSingle(query, "status", out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (text is [>= '1' and <= '5', 'x' or 'X', 'x' or 'X'])
        {
            from = (text[0] - '0') * 100;
            to = from + 100;
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
        {
            from = code;
            to = code + 1;
            return true;
        }

        error = InvalidValue("status", "must be a status code (100 to 599) or a class such as 2xx, 4xx, 5xx");
        return false;
    }

    private static bool TryGetBoolean(IQueryCollection query, string name, out bool? value, [NotNullWhen(false)] out ApiError? error)
    {
        value = null;
        if (!TryGetSingle(query, name, out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!bool.TryParse(text, out var parsed))
        {
            error = InvalidValue(name, "must be true or false");
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool TryGetTraceId(IQueryCollection query, out string? traceId, [NotNullWhen(false)] out ApiError? error)
    {
        if (!TryGetSingle(query, "trace_id", out traceId, out error))
        {
            return false;
        }

        if (traceId is not null && !TraceIds.IsValid(traceId))
        {
            error = InvalidValue("trace_id", "must be a W3C trace id: 32 lowercase hex digits, not all zero");
            return false;
        }

        return true;
    }

    private static bool TryGetMetadata(IQueryCollection query, out IReadOnlyList<MetadataMatch>? metadata, [NotNullWhen(false)] out ApiError? error)
    {
        metadata = null;
        error = null;
        List<MetadataMatch>? matches = null;
        // Query names are case-insensitive here as everywhere in the query; the member's name is used as written.
        foreach (var param in query.Keys.Where(k => k.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            var name = param[MetadataPrefix.Length..];
            if (name.Length is 0 or > MaxMetadataNameLength || !name.All(IsMetadataNameChar))
            {
                error = InvalidValue(param, $"the metadata member's name must be 1 to {MaxMetadataNameLength} characters of letters, digits, '_', '.' and '-'");
                return false;
            }

            if (matches?.Count == MaxMetadataFilters)
            {
                error = InvalidValue(param, $"at most {MaxMetadataFilters} '{MetadataPrefix}*' filters may be given");
                return false;
            }

            if (!TryGetText(query, param, out var value, out error))
            {
                return false;
            }

            (matches ??= []).Add(new MetadataMatch(name, value!));
        }

        metadata = matches;
        return true;
    }

    private static bool IsMetadataNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    internal static bool TryGetSingle(IQueryCollection query, string name, out string? value, [NotNullWhen(false)] out ApiError? error)
    {
        value = null;
        error = null;
        if (!query.TryGetValue(name, out StringValues values))
        {
            return true;
        }

        if (values.Count > 1)
        {
            error = InvalidValue(name, "was given more than once");
            return false;
        }

        value = values.ToString();
        if (value.Contains('\0'))
        {
            // "%00" decodes to U+0000, which no Postgres parameter can carry.
            error = InvalidValue(name, "must not hold U+0000");
            value = null;
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")]
    private static partial Regex SpacedOffset();
}
