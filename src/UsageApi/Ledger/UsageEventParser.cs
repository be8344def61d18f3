using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Usage;
using AiPlatform.UsageApi.Keys;
using static AiPlatform.UsageApi.Admin.RequestErrors;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// Validates the body of <c>POST /v1/usage/events</c>: <c>{"events": [ … ]}</c>. The first invalid field fails the
/// whole batch, with <c>param</c> naming it and its event (<c>events[3].status_code</c>): a Gateway sends only valid
/// events, so a refusal is a bug to look at, not data to half-take. Fields the ledger does not know are ignored, so
/// that a newer Gateway's batches are not refused by an older UsageApi. Absent optional fields take their empty value
/// (null, false, 0).
/// </summary>
/// <remarks>
/// <c>path</c> is the request's path (1 to 512 characters); <c>request_bytes</c> and <c>response_bytes</c> are 64-bit
/// counts, as a pass-through file upload or download can exceed 2 GiB.
/// <c>trace_id</c> is a W3C trace id (<see cref="TraceIds"/>). <c>payload</c>, for keys with <c>log_payloads</c>, is
/// <c>{"request": text, "response": text or null, "truncated": boolean}</c>; its texts have no length limit here (the
/// ledger cuts them, see <see cref="UsagePayload.Cap"/>), so that a payload's size never costs a batch its records.
/// </remarks>
public static class UsageEventParser
{
    public const string BatchTooLargeCode = "batch_too_large";

    /// <summary>Parses and validates a batch; <paramref name="error"/> names the first bad field.</summary>
    public static bool TryParse(JsonElement body, [NotNullWhen(true)] out List<UsageEvent>? events, [NotNullWhen(false)] out ApiError? error)
    {
        events = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.BadRequest("The request body must be a JSON object: {\"events\": [...]}.", code: KeyErrorCodes.InvalidType);
            return false;
        }

        if (!body.TryGetProperty("events", out var array))
        {
            error = ApiError.BadRequest("Missing required parameter: 'events'.", "events", KeyErrorCodes.MissingRequiredParameter);
            return false;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            error = InvalidType("events", "an array of usage events", array);
            return false;
        }

        var count = array.GetArrayLength();
        if (count > UsageEventLimits.MaxEventsPerBatch)
        {
            error = new ApiError(StatusCodes.Status413PayloadTooLarge,
                $"A batch holds at most {UsageEventLimits.MaxEventsPerBatch} events; this one has {count}. Split it.",
                ApiErrorTypes.InvalidRequest, BatchTooLargeCode, "events");
            return false;
        }

        var parsed = new List<UsageEvent>(count);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (!TryParseEvent(element, index, out var usageEvent, out error))
            {
                return false;
            }

            parsed.Add(usageEvent);
            index++;
        }

        events = parsed;
        error = null;
        return true;
    }

    private static bool TryParseEvent(JsonElement element, int index, [NotNullWhen(true)] out UsageEvent? usageEvent, [NotNullWhen(false)] out ApiError? error)
    {
        usageEvent = null;
        var prefix = $"events[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = InvalidType(prefix, "a usage event object", element);
            return false;
        }

        var reader = new EventReader(element, prefix);
        string? requestId = null;
        DateTimeOffset? timestamp = null;
        int? statusCode = null;
        if (reader.Require("request_id", out var value) && reader.String(value, 1, UsageEventLimits.MaxRequestIdLength) is { } id)
        {
            requestId = id;
        }

        if (reader.Require("timestamp", out value))
        {
            timestamp = reader.Timestamp(value);
        }

        if (reader.Require("status_code", out value))
        {
            statusCode = reader.Integer(value, 100, 599);
        }

        var result = new UsageEvent(
            RequestId: requestId ?? "",
            Timestamp: timestamp ?? default,
            KeyId: reader.OptionalString("key_id"),
            KeyName: reader.OptionalString("key_name"),
            RequestedModel: reader.OptionalString("requested_model"),
            ServedModel: reader.OptionalString("served_model"),
            Target: reader.OptionalString("target"),
            StatusCode: statusCode ?? 0,
            ErrorCode: reader.OptionalString("error_code"),
            Stream: reader.OptionalBoolean("stream"),
            Cached: reader.OptionalBoolean("cached"),
            PromptTokens: reader.OptionalCount("prompt_tokens"),
            CompletionTokens: reader.OptionalCount("completion_tokens"),
            TotalTokens: reader.OptionalCount("total_tokens"),
            LatencyMs: reader.OptionalCount("latency_ms"),
            TtfbMs: reader.OptionalNullableCount("ttfb_ms"),
            Retries: reader.OptionalCount("retries"),
            ClientIp: reader.OptionalString("client_ip"),
            MetadataJson: reader.OptionalMetadata("metadata"),
            TraceId: reader.OptionalTraceId("trace_id"),
            Payload: reader.OptionalPayload("payload"),
            Path: reader.OptionalString("path", minLength: 1),
            RequestBytes: reader.OptionalNullableSize("request_bytes"),
            ResponseBytes: reader.OptionalNullableSize("response_bytes"));

        if (reader.Error is { } failure)
        {
            error = failure;
            return false;
        }

        usageEvent = result;
        error = null;
        return true;
    }

    /// <summary>Reads an event's fields, keeping the first error and ignoring every read after it.</summary>
    private struct EventReader(JsonElement element, string prefix)
    {
        public ApiError? Error { get; private set; }

        private string _field = "";

        public bool Require(string name, out JsonElement value)
        {
            value = default;
            if (Error is not null)
            {
                return false;
            }

            _field = name;
            if (!element.TryGetProperty(name, out value))
            {
                Error = Missing(Param);
                return false;
            }

            return true;
        }

        public string? String(JsonElement value, int minLength, int maxLength)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(InvalidType(Param, "a string", value));
                return null;
            }

            if (!JsonText.TryGetString(value, out var text))
            {
                Fail(InvalidValue(Param, JsonText.Rule));
                return null;
            }

            if (text.Length < minLength || text.Length > maxLength)
            {
                Fail(InvalidValue(Param, $"must be {minLength} to {maxLength} characters"));
                return null;
            }

            return text;
        }

        public DateTimeOffset? Timestamp(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(InvalidType(Param, "an ISO 8601 date and time string", value));
                return null;
            }

            // ISO 8601 as System.Text.Json reads it. Without an offset the time is UTC, never the server's local time.
            if (!JsonText.TryGetString(value, out _) || !value.TryGetDateTime(out var dateTime))
            {
                Fail(InvalidValue(Param, "must be an ISO 8601 date and time, such as 2026-01-31T12:00:00.123Z"));
                return null;
            }

            var utc = new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified
                ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)
                : dateTime.ToUniversalTime());
            if (utc < UsageEventLimits.MinTimestamp || utc >= UsageEventLimits.MaxTimestamp)
            {
                Fail(InvalidValue(Param, "must lie between 2000-01-01 and 2100-01-01"));
                return null;
            }

            return utc;
        }

        public int? Integer(JsonElement value, int min, int max) => (int?)Long(value, min, max);

        public long? Long(JsonElement value, long min, long max)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
            {
                Fail(InvalidType(Param, "an integer", value));
                return null;
            }

            if (number < min || number > max)
            {
                Fail(InvalidValue(Param, $"must be an integer from {min} to {max}"));
                return null;
            }

            return number;
        }

        public string? OptionalString(string name, int minLength = 0)
        {
            if (!TryGetOptional(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return String(value, minLength, UsageEventLimits.MaxTextLength);
        }

        public bool OptionalBoolean(string name)
        {
            if (!TryGetOptional(name, out var value))
            {
                return false;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Fail(InvalidType(Param, "a boolean", value));
                return false;
            }

            return value.GetBoolean();
        }

        public int OptionalCount(string name) =>
            TryGetOptional(name, out var value) ? Integer(value, 0, int.MaxValue) ?? 0 : 0;

        public int? OptionalNullableCount(string name) =>
            TryGetOptional(name, out var value) && value.ValueKind != JsonValueKind.Null ? Integer(value, 0, int.MaxValue) : null;

        /// <summary>A byte count: 0 or more, 64-bit; absent or null when the Gateway did not count.</summary>
        public long? OptionalNullableSize(string name) =>
            TryGetOptional(name, out var value) && value.ValueKind != JsonValueKind.Null ? Long(value, 0, long.MaxValue) : null;

        public string? OptionalMetadata(string name)
        {
            if (!TryGetOptional(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                Fail(InvalidType(Param, "a JSON object", value));
                return null;
            }

            if (!JsonText.IsStorable(value))
            {
                Fail(InvalidValue(Param, "every name and string " + JsonText.Rule));
                return null;
            }

            var json = value.GetRawText();
            if (Encoding.UTF8.GetByteCount(json) > UsageEventLimits.MaxMetadataBytes)
            {
                Fail(InvalidValue(Param, $"must be at most {UsageEventLimits.MaxMetadataBytes} bytes of JSON"));
                return null;
            }

            return json;
        }

        public string? OptionalTraceId(string name)
        {
            if (!TryGetOptional(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(InvalidType(Param, "a string", value));
                return null;
            }

            if (!JsonText.TryGetString(value, out var traceId) || !TraceIds.IsValid(traceId))
            {
                Fail(InvalidValue(Param, "must be a W3C trace id: 32 lowercase hex digits, not all zero"));
                return null;
            }

            return traceId;
        }

        public UsagePayload? OptionalPayload(string name)
        {
            if (!TryGetOptional(name, out var payload) || payload.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (payload.ValueKind != JsonValueKind.Object)
            {
                Fail(InvalidType(Param, "a JSON object", payload));
                return null;
            }

            _field = $"{name}.request";
            if (!payload.TryGetProperty("request", out var request))
            {
                Fail(Missing(Param));
                return null;
            }

            if (request.ValueKind != JsonValueKind.String)
            {
                Fail(InvalidType(Param, "a string", request));
                return null;
            }

            _field = $"{name}.response";
            if (payload.TryGetProperty("response", out var response) && response.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                Fail(InvalidType(Param, "a string or null", response));
                return null;
            }

            _field = $"{name}.truncated";
            if (payload.TryGetProperty("truncated", out var truncated) && truncated.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Fail(InvalidType(Param, "a boolean", truncated));
                return null;
            }

            return new UsagePayload(
                PayloadJson.ReadText(request),
                response.ValueKind == JsonValueKind.String ? PayloadJson.ReadText(response) : null,
                truncated.ValueKind == JsonValueKind.True);
        }

        private readonly string Param => $"{prefix}.{_field}";

        private bool TryGetOptional(string name, out JsonElement value)
        {
            value = default;
            if (Error is not null)
            {
                return false;
            }

            _field = name;
            return element.TryGetProperty(name, out value);
        }

        private void Fail(ApiError error) => Error ??= error;

        private static ApiError Missing(string param) =>
            ApiError.BadRequest($"Missing required parameter: '{param}'.", param, KeyErrorCodes.MissingRequiredParameter);
    }
}
