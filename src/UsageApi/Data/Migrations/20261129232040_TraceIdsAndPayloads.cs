using Microsoft.EntityFrameworkCore.Migrations;

namespace AiPlatform.UsageApi.Data.Migrations;

/// <summary>
/// The Dashboard's request log (issue 11): each record's trace id, payload logging as a per-key setting
/// (<c>api_keys.log_payloads</c>, off for every existing key), and the payloads themselves.
/// </summary>
public partial class TraceIdsAndPayloads : Migration
{
    // A nullable column without a default: Postgres adds it to the partitioned table and every partition without
    // rewriting a row. The index is partial, as records without a trace id are never looked up by one; creating it
    // builds one per existing month partition, once, while the migration holds the ledger.
    //
    // usage_payloads is not partitioned: it holds at most RetentionDays of the few keys that log payloads, and is
    // deleted from by time (PayloadRetention), oldest first through its "timestamp" index. Its identity is a record's,
    // (request_id, timestamp), so that a client reusing its request id never sees another request's payload.
    private const string UpSql = """
        ALTER TABLE usage_records ADD COLUMN trace_id text;
        CREATE INDEX usage_records_trace_id_idx ON usage_records (trace_id) WHERE trace_id IS NOT NULL;

        CREATE TABLE usage_payloads (
            request_id  text        NOT NULL,
            "timestamp" timestamptz NOT NULL,
            request     text        NOT NULL,
            response    text,
            truncated   boolean     NOT NULL DEFAULT false,
            PRIMARY KEY (request_id, "timestamp")
        );
        CREATE INDEX usage_payloads_timestamp_idx ON usage_payloads ("timestamp");
        """;

    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(
            name: "log_payloads",
            table: "api_keys",
            type: "boolean",
            nullable: false,
            defaultValue: false);

        migrationBuilder.Sql(UpSql);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // The column's index goes with it, from every partition.
        migrationBuilder.Sql("DROP TABLE usage_payloads; ALTER TABLE usage_records DROP COLUMN trace_id;");

        migrationBuilder.DropColumn(
            name: "log_payloads",
            table: "api_keys");
    }
}
