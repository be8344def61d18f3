using System.Text.Json;
using AiPlatform.Dashboard.Audit;

namespace AiPlatform.Dashboard.Tests.Audit;

/// <summary>An audit entry's before and after, compared field by field.</summary>
public sealed class AuditDiffTests
{
    [Fact]
    public void Of_Creation_EveryFieldOnlyAfter()
    {
        var fields = AuditDiff.Of(null, Json("""{"name":"ci","rpm":60}"""));

        Assert.Equal([("name", "—", "ci", true), ("rpm", "—", "60", true)], fields.Select(Row));
    }

    [Fact]
    public void Of_Deletion_EveryFieldOnlyBefore()
    {
        var fields = AuditDiff.Of(Json("""{"model":"sim","input_per_million_usd":0.15}"""), Json("null"));

        Assert.Equal([("model", "sim", "—", true), ("input_per_million_usd", "0.15", "—", true)], fields.Select(Row));
    }

    [Fact]
    public void Of_Update_UnchangedFieldsKeptInOrderNestedValuesComparedWhole()
    {
        var fields = AuditDiff.Of(
            Json("""{"name":"ci","models":["sim"],"metadata":{"team":"a","tier":1},"expires_at":null}"""),
            Json("""{"name":"ci","models":["sim"],"metadata":{"tier":1,"team":"b"},"expires_at":"2026-04-01T00:00:00Z","log_payloads":true}"""));

        Assert.Equal(
            [
                ("name", "ci", "ci", false),
                ("models", """["sim"]""", """["sim"]""", false),
                ("metadata", """{"team":"a","tier":1}""", """{"tier":1,"team":"b"}""", true),
                ("expires_at", "null", "2026-04-01T00:00:00Z", true),
                ("log_payloads", "—", "true", true),
            ],
            fields.Select(Row));
    }

    [Fact]
    public void Of_SameObjectWithFieldsInAnotherOrder_NothingChanged()
    {
        var fields = AuditDiff.Of(Json("""{"a":1,"b":{"x":1,"y":2}}"""), Json("""{"b":{"y":2,"x":1},"a":1}"""));

        Assert.All(fields, field => Assert.False(field.Changed));
    }

    private static (string, string, string, bool) Row(FieldChange field) =>
        (field.Field, FieldChange.Show(field.Before), FieldChange.Show(field.After), field.Changed);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
